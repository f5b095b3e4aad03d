package org.lotusia.chain.script;

/**
 * Script opcode values used by the Lotus templates (Bitcoin numbering; Lotus adds OP_SCRIPTTYPE
 * 0x62).
 */
public final class Opcodes {

  /** Push an empty byte vector. */
  public static final int OP_0 = 0x00;

  /** Next byte is the push length. */
  public static final int OP_PUSHDATA1 = 0x4c;

  /** Next two bytes (LE) are the push length. */
  public static final int OP_PUSHDATA2 = 0x4d;

  /** Next four bytes (LE) are the push length. */
  public static final int OP_PUSHDATA4 = 0x4e;

  /** Push -1. */
  public static final int OP_1NEGATE = 0x4f;

  /** Push 1 (OP_TRUE). */
  public static final int OP_1 = 0x51;

  /** Push 16. */
  public static final int OP_16 = 0x60;

  /**
   * Lotus: marks a script type template (Taproot is {@code OP_SCRIPTTYPE OP_1 ...}); 0x62 was
   * OP_VER.
   */
  public static final int OP_SCRIPTTYPE = 0x62;

  /** Marks an unspendable data output. */
  public static final int OP_RETURN = 0x6a;

  /** Duplicate top stack item. */
  public static final int OP_DUP = 0x76;

  /** Byte equality. */
  public static final int OP_EQUAL = 0x87;

  /** Byte equality then verify. */
  public static final int OP_EQUALVERIFY = 0x88;

  /** RIPEMD160(SHA256(x)). */
  public static final int OP_HASH160 = 0xa9;

  /** Signature check. */
  public static final int OP_CHECKSIG = 0xac;

  private Opcodes() {}

  /** The opcode pushing small integer {@code n} in 0..16. */
  public static int smallInt(int n) {
    if (n < 0 || n > 16) {
      throw new IllegalArgumentException("small integer must be 0..16, got " + n);
    }
    return n == 0 ? OP_0 : OP_1 + n - 1;
  }
}
