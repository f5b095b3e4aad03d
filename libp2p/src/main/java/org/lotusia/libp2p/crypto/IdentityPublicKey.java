package org.lotusia.libp2p.crypto;

/**
 * A libp2p public key: the public half of an {@link IdentityPrivateKey}, from which a {@code PeerId}
 * is derived. Implementations are immutable and thread-safe; equality is by {@link #encoded()}.
 */
public interface IdentityPublicKey {

  /**
   * The key type.
   *
   * @return the type
   */
  KeyType type();

  /**
   * The key bytes as the peer-id specification defines them for this type (the protobuf {@code
   * Data} field): Ed25519 the 32-byte key, secp256k1 the 33-byte compressed point, RSA and ECDSA
   * DER SubjectPublicKeyInfo.
   *
   * @return a fresh copy
   */
  byte[] raw();

  /**
   * The deterministic protobuf {@code PublicKey{Type=1, Data=2}} encoding used for peer IDs and on
   * the wire.
   *
   * @return a fresh copy
   */
  byte[] encoded();

  /**
   * Verifies a signature made with the matching private key, by the signing rules of this key type.
   *
   * @param data the signed data
   * @param signature the signature
   * @return whether the signature is valid; malformed signatures give {@code false}, never an
   *     exception
   */
  boolean verify(byte[] data, byte[] signature);
}
