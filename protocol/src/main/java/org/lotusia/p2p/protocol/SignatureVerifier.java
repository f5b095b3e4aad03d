package org.lotusia.p2p.protocol;

/**
 * Checks a signature by the identity key of a libp2p peer. The coordinator binds it to the public
 * key of the peer id (for Ed25519 peer ids the key is inside the id). Implementations must be
 * thread-safe and should return false, not throw, for a malformed signature; an exception is
 * treated as an invalid signature.
 */
@FunctionalInterface
public interface SignatureVerifier {

  /**
   * Verifies a signature.
   *
   * @param peerId the signer's peer id (base58), already authenticated by the secure channel
   * @param data the signed bytes
   * @param signature the signature
   * @return true if {@code signature} is valid for {@code data} under {@code peerId}'s key
   */
  boolean verify(String peerId, byte[] data, byte[] signature);
}
