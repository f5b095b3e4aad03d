package org.lotusia.musig2.p2p;

/**
 * A completed session: the verified final signature and what it signs. Immutable; arrays copied.
 *
 * @param sessionId the session
 * @param message the 32-byte message that was signed
 * @param aggregateKey the 33-byte key the signature verifies under (the Taproot output key of a
 *     Taproot session)
 * @param signature the 64-byte Lotus Schnorr signature
 * @param broadcasterIndex the signer index that finalised and broadcast the session
 */
public record SessionResult(
    String sessionId, byte[] message, byte[] aggregateKey, byte[] signature, int broadcasterIndex) {

  /** Copies the arrays. */
  public SessionResult {
    message = message.clone();
    aggregateKey = aggregateKey.clone();
    signature = signature.clone();
  }

  /**
   * @return a copy of the {@code message} component (null when absent)
   */
  @Override
  public byte[] message() {
    return message.clone();
  }

  /**
   * @return a copy of the {@code aggregateKey} component (null when absent)
   */
  @Override
  public byte[] aggregateKey() {
    return aggregateKey.clone();
  }

  /**
   * @return a copy of the {@code signature} component (null when absent)
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
