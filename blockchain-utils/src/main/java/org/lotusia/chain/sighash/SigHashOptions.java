package org.lotusia.chain.sighash;

/**
 * Options for the FORKID and LOTUS sighash algorithms.
 *
 * @param forkId the fork id placed in bits 8..31 of the hash type (0 on Lotus)
 * @param replayProtection apply {@link SigHashType#withReplayProtection(int)} before hashing
 *     (lotusd does from the 2nd Kings upgrade; lotus-sdk only when the caller passes the flag)
 */
public record SigHashOptions(int forkId, boolean replayProtection) {

  /** Fork id 0, no replay-protection rewrite: what Lotus uses today. */
  public static final SigHashOptions DEFAULT = new SigHashOptions(0, false);

  /** Fork id 0 with the replay-protection rewrite (after 2nd Kings activation). */
  public static final SigHashOptions REPLAY_PROTECTED = new SigHashOptions(0, true);

  /** Validates. @throws IllegalArgumentException if forkId does not fit 24 bits */
  public SigHashOptions {
    if (forkId < 0 || forkId > 0xffffff) {
      throw new IllegalArgumentException("fork id must fit 24 bits: " + forkId);
    }
  }

  /** The 32-bit hash type that enters the preimage for a given type byte. */
  public int preimageType(int typeByte) {
    int t = (forkId << 8) | (typeByte & 0xff);
    return replayProtection ? SigHashType.withReplayProtection(t) : t;
  }
}
