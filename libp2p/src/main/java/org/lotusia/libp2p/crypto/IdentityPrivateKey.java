package org.lotusia.libp2p.crypto;

/**
 * A libp2p private key: the identity key of a node, from whose public key its {@code PeerId} is
 * derived (libp2p peer-ids specification). Named apart from the secp256k1 {@code
 * org.lotusia.chain.crypto.PrivateKey} that signs transactions. Implementations are immutable and
 * thread-safe; their {@code toString()} never shows secret material.
 */
public interface IdentityPrivateKey {

  /**
   * The key type.
   *
   * @return the type
   */
  KeyType type();

  /**
   * The matching public key.
   *
   * @return the public key
   */
  IdentityPublicKey publicKey();

  /**
   * Signs data by the signing rules of this key type (Ed25519 pure; secp256k1 and ECDSA DER ECDSA
   * over SHA-256; RSA PKCS#1 v1.5 with SHA-256).
   *
   * @param data the data to sign
   * @return the signature
   */
  byte[] sign(byte[] data);

  /**
   * The protobuf {@code PrivateKey{Type=1, Data=2}} encoding (the libp2p key file content). Secret.
   *
   * @return a fresh copy
   */
  byte[] encoded();
}
