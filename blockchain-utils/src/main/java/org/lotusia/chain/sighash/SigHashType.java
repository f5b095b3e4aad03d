package org.lotusia.chain.sighash;

/**
 * Sighash type byte values and helpers. Base types in the low two bits, the algorithm in bits 0x60
 * ({@code 0x00} legacy, {@code 0x40} FORKID/BIP143, {@code 0x60} LOTUS, {@code 0x20} invalid),
 * ANYONECANPAY 0x80.
 */
public final class SigHashType {

  /** Sign all outputs. */
  public static final int ALL = 0x01;

  /** Sign no outputs. */
  public static final int NONE = 0x02;

  /** Sign the output with the same index. */
  public static final int SINGLE = 0x03;

  /** BIP143-style algorithm with the fork id. */
  public static final int FORKID = 0x40;

  /** Lotus algorithm (includes the FORKID bit). */
  public static final int LOTUS = 0x60;

  /** Sign only this input. */
  public static final int ANYONECANPAY = 0x80;

  /** Mask of the algorithm bits. */
  public static final int ALGORITHM_MASK = 0x60;

  /** {@code ALL | FORKID}: lotus-sdk's default for P2PKH. */
  public static final int ALL_FORKID = ALL | FORKID;

  /** {@code ALL | LOTUS}: required for the Taproot key path. */
  public static final int ALL_LOTUS = ALL | LOTUS;

  private SigHashType() {}

  /** The base type (low two bits). */
  public static int base(int type) {
    return type & 0x03;
  }

  /** True if ANYONECANPAY is set. */
  public static boolean anyoneCanPay(int type) {
    return (type & ANYONECANPAY) != 0;
  }

  /** The algorithm bits ({@code type & 0x60}). */
  public static int algorithm(int type) {
    return type & ALGORITHM_MASK;
  }

  /**
   * lotusd's replay-protection rewrite of the fork value (2nd Kings upgrade): {@code fork = type
   * >>> 8; type = ((0xff0000 | (fork ^ 0xdead)) << 8) | (type & 0xff)}.
   */
  public static int withReplayProtection(int type) {
    int fork = type >>> 8;
    return ((0xff0000 | (fork ^ 0xdead)) << 8) | (type & 0xff);
  }
}
