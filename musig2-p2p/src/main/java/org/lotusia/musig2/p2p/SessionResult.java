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

  @Override
  public byte[] message() {
    return message.clone();
  }

  @Override
  public byte[] aggregateKey() {
    return aggregateKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }
}
