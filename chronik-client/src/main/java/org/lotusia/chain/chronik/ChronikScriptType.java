package org.lotusia.chain.chronik;

/**
 * Script types Chronik indexes, with the payload each expects in {@code
 * /script/{type}/{payload}/...} and in WebSocket subscriptions.
 */
public enum ChronikScriptType {
  /** Pay to public key hash; payload is the 20-byte HASH160 of the public key. */
  P2PKH("p2pkh", 20, 20),
  /** Pay to script hash; payload is the 20-byte HASH160 of the redeem script. */
  P2SH("p2sh", 20, 20),
  /** Pay to public key; payload is the 33- or 65-byte public key. */
  P2PK("p2pk", 33, 65),
  /** Lotus Taproot; payload is the 33-byte compressed commitment key. */
  P2TR_COMMITMENT("p2tr-commitment", 33, 33),
  /** Lotus Taproot with state; payload is the 32-byte state. */
  P2TR_STATE("p2tr-state", 32, 32),
  /** Any other script; payload is the full serialised script. */
  OTHER("other", 0, 10_000);

  private final String wireName;
  private final int minPayload;
  private final int maxPayload;

  ChronikScriptType(String wireName, int minPayload, int maxPayload) {
    this.wireName = wireName;
    this.minPayload = minPayload;
    this.maxPayload = maxPayload;
  }

  /** Returns the name used in Chronik URLs and subscriptions, for example {@code p2pkh}. */
  public String wireName() {
    return wireName;
  }

  /**
   * Returns the type with this Chronik name.
   *
   * @param wireName for example {@code p2tr-commitment}
   * @throws IllegalArgumentException for an unknown name
   */
  public static ChronikScriptType fromWireName(String wireName) {
    for (ChronikScriptType t : values()) {
      if (t.wireName.equals(wireName)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown Chronik script type: " + wireName);
  }

  /**
   * Checks that a payload has a length this script type accepts.
   *
   * @param payload the payload bytes
   * @throws IllegalArgumentException if the length does not fit the type
   */
  public void checkPayload(byte[] payload) {
    int n = payload.length;
    boolean ok = this == P2PK ? (n == 33 || n == 65) : (n >= minPayload && n <= maxPayload);
    if (!ok) {
      throw new IllegalArgumentException(
          "payload of "
              + n
              + " bytes is invalid for script type "
              + wireName
              + " (expected "
              + (minPayload == maxPayload
                  ? minPayload + ""
                  : this == P2PK ? "33 or 65" : minPayload + ".." + maxPayload)
              + " bytes)");
    }
  }
}
