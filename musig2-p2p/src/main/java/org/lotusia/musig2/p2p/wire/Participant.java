package org.lotusia.musig2.p2p.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * One signer of a session: its index in the sorted key list, the peer that speaks for it, and its
 * 33-byte compressed signer key. Immutable; the key is copied in and out.
 *
 * @param signerIndex index in the bytewise-sorted list of compressed keys
 * @param peerId the libp2p peer ID of the participant
 * @param publicKey 33-byte compressed signer key
 */
public record Participant(int signerIndex, String peerId, byte[] publicKey) {

  /** Checks the fields and copies the key. */
  public Participant {
    if (signerIndex < 0) {
      throw new IllegalArgumentException("signerIndex must be non-negative, got " + signerIndex);
    }
    Objects.requireNonNull(peerId, "peerId");
    if (peerId.isEmpty()) {
      throw new IllegalArgumentException("peerId must not be empty");
    }
    if (publicKey == null || publicKey.length != 33) {
      throw new IllegalArgumentException("publicKey must be 33 bytes (compressed)");
    }
    publicKey = publicKey.clone();
  }

  /**
   * @return a copy of the {@code publicKey} component (null when absent)
   */
  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Participant p
        && p.signerIndex == signerIndex
        && p.peerId.equals(peerId)
        && Arrays.equals(p.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return (signerIndex * 31 + peerId.hashCode()) * 31 + Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "Participant[" + signerIndex + ", " + peerId + ", " + WireJson.hexOf(publicKey) + "]";
  }
}
