package org.lotusia.chain.chronik;

/**
 * Reference to one transaction output.
 *
 * @param txid txid as big-endian (display) hex, 64 lowercase characters
 * @param outIdx output index, 0 or more (Chronik's uint32; values above {@link Integer#MAX_VALUE}
 *     are rejected as malformed)
 */
public record ChronikOutPoint(String txid, int outIdx) {

  /**
   * Validates and normalises the components.
   *
   * @throws IllegalArgumentException if the txid is not 64 hex characters or the index is negative
   */
  public ChronikOutPoint {
    txid = ReversedHex.requireHash(txid);
    if (outIdx < 0) {
      throw new IllegalArgumentException("output index must be >= 0, got " + outIdx);
    }
  }
}
