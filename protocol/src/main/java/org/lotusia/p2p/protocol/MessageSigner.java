package org.lotusia.p2p.protocol;

/**
 * Signs bytes with the local node's libp2p identity key. The coordinator binds it to the host's
 * private key. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface MessageSigner {

  /**
   * Signs data.
   *
   * @param data the bytes to sign ({@link MessageAuthenticator#signingBytes(P2PMessage)})
   * @return the signature
   */
  byte[] sign(byte[] data);
}
