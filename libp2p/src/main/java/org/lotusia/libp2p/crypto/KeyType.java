package org.lotusia.libp2p.crypto;

/**
 * The key types of the libp2p peer-id specification, with their protobuf {@code KeyType} numbers.
 */
public enum KeyType {
  /** RSA, 2048 to 8192 bits; public key DER PKIX, private key PKCS#1 DER. */
  RSA(0),
  /** Ed25519; public key 32 bytes, private key seed || public key. */
  ED25519(1),
  /** secp256k1 ECDSA; public key 33 bytes compressed, private key 32 bytes. */
  SECP256K1(2),
  /** ECDSA on a NIST curve (P-256 generated); public key DER PKIX, private key SEC1 DER. */
  ECDSA(3);

  private final int code;

  KeyType(int code) {
    this.code = code;
  }

  /**
   * The protobuf enum number.
   *
   * @return 0 to 3
   */
  public int code() {
    return code;
  }

  /**
   * The key type with the given protobuf number.
   *
   * @param code the protobuf enum number
   * @return the key type
   * @throws IllegalArgumentException if the number is not a known key type
   */
  public static KeyType fromCode(int code) {
    return switch (code) {
      case 0 -> RSA;
      case 1 -> ED25519;
      case 2 -> SECP256K1;
      case 3 -> ECDSA;
      default ->
          throw new IllegalArgumentException(
              "unknown key type " + code + " (known: 0 RSA, 1 Ed25519, 2 Secp256k1, 3 ECDSA)");
    };
  }
}
