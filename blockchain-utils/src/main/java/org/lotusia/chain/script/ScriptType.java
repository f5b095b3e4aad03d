package org.lotusia.chain.script;

/**
 * Standard output script templates recognised by {@link Script#type()}, with the script type name
 * Chronik's {@code /script/{type}/{payload}} endpoints use for each.
 */
public enum ScriptType {
  /**
   * {@code OP_DUP OP_HASH160 <20> OP_EQUALVERIFY OP_CHECKSIG}; Chronik payload: the 20-byte hash.
   */
  P2PKH("p2pkh"),
  /** {@code OP_HASH160 <20> OP_EQUAL}; Chronik payload: the 20-byte script hash. */
  P2SH("p2sh"),
  /** {@code <33 or 65-byte pubkey> OP_CHECKSIG}; Chronik payload: the public key. */
  P2PK("p2pk"),
  /**
   * Lotus Taproot {@code OP_SCRIPTTYPE OP_1 <33> [<32>]}; Chronik payload: the 33-byte commitment.
   */
  P2TR("p2tr-commitment"),
  /**
   * {@code OP_RETURN} followed by pushes only, at most 223 bytes; Chronik type "other" with the raw
   * script.
   */
  DATA("other"),
  /** Anything else; Chronik type "other" with the raw script. */
  OTHER("other");

  private final String chronikType;

  ScriptType(String chronikType) {
    this.chronikType = chronikType;
  }

  /** The Chronik script type name. */
  public String chronikType() {
    return chronikType;
  }
}
