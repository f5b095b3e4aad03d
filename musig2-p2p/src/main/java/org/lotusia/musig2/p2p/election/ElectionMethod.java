package org.lotusia.musig2.p2p.election;

import java.util.Optional;

/**
 * How the signer that finalises and broadcasts a session is chosen (lotus-sdk {@code
 * electionMethod}, reference 3.9). Every participant computes the election from the sorted signer
 * keys alone, so all agree without a message.
 */
public enum ElectionMethod {
  /** Index 0 of the sorted keys; backups in key order, wrapping (lotus-sdk's default). */
  LEXICOGRAPHIC("lexicographic"),
  /** {@code u32be(proof[0..4]) mod n}; backups {@code c+1, c+2, ...} wrapping. */
  HASH_BASED("hash-based"),
  /** Index 0; backups {@code 1, 2, ..., n-1}. */
  FIRST_SIGNER("first-signer"),
  /** Index n-1; backups {@code n-2, ..., 0}. */
  LAST_SIGNER("last-signer");

  private final String wire;

  ElectionMethod(String wire) {
    this.wire = wire;
  }

  /**
   * @return lotus-sdk's name of the method
   */
  public String wire() {
    return wire;
  }

  /**
   * @param name lotus-sdk's name of a method
   * @return the method, or empty if the name is unknown
   */
  public static Optional<ElectionMethod> fromWire(String name) {
    for (ElectionMethod m : values()) {
      if (m.wire.equals(name)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
