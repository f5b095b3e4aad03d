package org.lotusia.libp2p.crypto;

import java.security.SecureRandom;

/**
 * Factory for libp2p keys: generation and decoding of the protobuf encodings of the peer-id
 * specification.
 *
 * <p>Stateless and thread-safe. Decoding errors throw {@link IllegalArgumentException} naming the
 * problem.
 */
public final class Keys {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Keys() {}

  static SecureRandom random() {
    return RANDOM;
  }

  /**
   * Generates a fresh key pair of the given type (RSA 2048 bits, ECDSA on P-256).
   *
   * @param type the key type
   * @return the private key
   */
  public static IdentityPrivateKey generate(KeyType type) {
    return switch (type) {
      case ED25519 -> Ed25519Keys.generate();
      case SECP256K1 -> Secp256k1Keys.generate();
      case ECDSA -> EcdsaKeys.generate();
      case RSA -> RsaKeys.generate(RsaKeys.DEFAULT_BITS);
    };
  }

  /**
   * Generates an RSA key pair of the given size.
   *
   * @param bits modulus size, {@value RsaKeys#MIN_BITS} to {@value RsaKeys#MAX_BITS}
   * @return the private key
   * @throws IllegalArgumentException if the size is outside the accepted range
   */
  public static IdentityPrivateKey generateRsa(int bits) {
    return RsaKeys.generate(bits);
  }

  /**
   * Generates a fresh Ed25519 key pair, the default libp2p identity.
   *
   * @return the private key
   */
  public static IdentityPrivateKey generateEd25519() {
    return Ed25519Keys.generate();
  }

  /**
   * The Ed25519 key derived from a 32-byte RFC 8032 seed (deterministic identities, tests).
   *
   * @param seed32 the seed, not retained
   * @return the private key
   * @throws IllegalArgumentException if the seed is not 32 bytes
   */
  public static IdentityPrivateKey ed25519FromSeed(byte[] seed32) {
    return Ed25519Keys.fromSeed(seed32);
  }

  /**
   * Decodes a protobuf {@code PublicKey} message.
   *
   * @param protobuf the message bytes
   * @return the key
   * @throws IllegalArgumentException if the message or the key it holds is malformed
   */
  public static IdentityPublicKey decodePublicKey(byte[] protobuf) {
    KeyProtobuf.Decoded d = KeyProtobuf.decodePublic(protobuf);
    return publicKeyFromRaw(d.type(), d.data());
  }

  /**
   * Builds a public key from its type and the {@code Data} bytes of the peer-id specification.
   *
   * @param type the key type
   * @param raw the key data
   * @return the key
   * @throws IllegalArgumentException if the key data is malformed
   */
  public static IdentityPublicKey publicKeyFromRaw(KeyType type, byte[] raw) {
    try {
      return switch (type) {
        case ED25519 -> Ed25519Keys.decodePublic(raw);
        case SECP256K1 -> Secp256k1Keys.decodePublic(raw);
        case ECDSA -> EcdsaKeys.decodePublic(raw);
        case RSA -> RsaKeys.decodePublic(raw);
      };
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // ASN.1 parsers can fail on hostile structures with other runtime exceptions.
      throw new IllegalArgumentException("malformed " + type + " public key: " + e, e);
    }
  }

  /**
   * Decodes a protobuf {@code PrivateKey} message (the content of a libp2p key file).
   *
   * @param protobuf the message bytes
   * @return the key
   * @throws IllegalArgumentException if the message or the key it holds is malformed
   */
  public static IdentityPrivateKey decodePrivateKey(byte[] protobuf) {
    KeyProtobuf.Decoded d = KeyProtobuf.decodePrivate(protobuf);
    try {
      return switch (d.type()) {
        case ED25519 -> Ed25519Keys.decodePrivate(d.data());
        case SECP256K1 -> Secp256k1Keys.decodePrivate(d.data());
        case ECDSA -> EcdsaKeys.decodePrivate(d.data());
        case RSA -> RsaKeys.decodePrivate(d.data());
      };
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "malformed " + d.type() + " private key: " + e.getClass().getSimpleName(), e);
    } finally {
      java.util.Arrays.fill(d.data(), (byte) 0);
    }
  }
}
