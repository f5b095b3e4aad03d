package org.lotusia.musig2.p2p.wire;

import java.util.Objects;

/**
 * The authentication fields this implementation adds to every session payload: the sender's
 * sequence number in the session and its Lotus Schnorr signature over the message's canonical
 * encoding ({@link SignedEncoding}). Immutable; the signature is copied in and out.
 *
 * @param sequenceNumber the sender's number for this message in this session, from 0, each used
 *     once; below {@link #MAX_SEQUENCE_NUMBER}
 * @param signature 64-byte Lotus Schnorr signature by the sender's signer key
 */
public record MessageAuth(long sequenceNumber, byte[] signature) {

  /** Sequence numbers are JSON-safe integers below 2^31. */
  public static final long MAX_SEQUENCE_NUMBER = (1L << 31) - 1;

  /** Checks the range and the signature length. */
  public MessageAuth {
    if (sequenceNumber < 0 || sequenceNumber > MAX_SEQUENCE_NUMBER) {
      throw new IllegalArgumentException(
          "sequenceNumber must be in [0, 2^31-1], got " + sequenceNumber);
    }
    Objects.requireNonNull(signature, "signature");
    if (signature.length != 64) {
      throw new IllegalArgumentException(
          "signature must be 64 bytes (Lotus Schnorr), got " + signature.length);
    }
    signature = signature.clone();
  }

  /**
   * @return a copy of the {@code signature} component (null when absent)
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MessageAuth a
        && a.sequenceNumber == sequenceNumber
        && java.util.Arrays.equals(a.signature, signature);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(sequenceNumber) * 31 + java.util.Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "MessageAuth[seq=" + sequenceNumber + "]";
  }
}
