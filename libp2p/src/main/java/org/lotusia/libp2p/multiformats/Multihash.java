package org.lotusia.libp2p.multiformats;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A multihash: {@code varint(code) varint(length) digest}. Supported functions are {@link
 * #IDENTITY} (the "digest" is the data itself) and {@link #SHA2_256} (32-byte digest).
 *
 * <p>Immutable and thread-safe; accessors return copies.
 */
public final class Multihash {

  /** The identity function code, 0x00. */
  public static final int IDENTITY = 0x00;

  /** The SHA2-256 function code, 0x12. */
  public static final int SHA2_256 = 0x12;

  /** Digest length of SHA2-256. */
  public static final int SHA2_256_LENGTH = 32;

  private final int code;
  private final byte[] digest;
  private final byte[] encoded;

  private Multihash(int code, byte[] digest) {
    this.code = code;
    this.digest = digest;
    int codeLen = Varint.encodedLength(code);
    int lenLen = Varint.encodedLength(digest.length);
    byte[] out = new byte[codeLen + lenLen + digest.length];
    Varint.write(code, out, 0);
    Varint.write(digest.length, out, codeLen);
    System.arraycopy(digest, 0, out, codeLen + lenLen, digest.length);
    this.encoded = out;
  }

  /**
   * The identity multihash of {@code data}.
   *
   * @param data the bytes to embed, copied
   * @return {@code 0x00 varint(len) data}
   */
  public static Multihash identity(byte[] data) {
    return new Multihash(IDENTITY, data.clone());
  }

  /**
   * The SHA2-256 multihash of {@code data}.
   *
   * @param data the bytes to hash
   * @return {@code 0x12 0x20 sha256(data)}
   */
  public static Multihash sha256(byte[] data) {
    try {
      return new Multihash(SHA2_256, MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /**
   * Creates a multihash from a code and a digest, checking the digest length for the function.
   *
   * @param code {@link #IDENTITY} or {@link #SHA2_256}
   * @param digest the digest, copied
   * @return the multihash
   * @throws IllegalArgumentException if the code is unsupported or the length wrong
   */
  public static Multihash of(int code, byte[] digest) {
    validate(code, digest.length);
    return new Multihash(code, digest.clone());
  }

  /**
   * Decodes a multihash that must occupy the whole array.
   *
   * @param bytes the encoding
   * @return the multihash
   * @throws IllegalArgumentException if malformed, unsupported, or followed by extra bytes
   */
  public static Multihash decode(byte[] bytes) {
    Varint.Decoded code = Varint.decode(bytes, 0);
    Varint.Decoded len = Varint.decode(bytes, code.length());
    int start = code.length() + len.length();
    if (len.value() != bytes.length - start) {
      throw new IllegalArgumentException(
          "multihash declares a "
              + len.value()
              + "-byte digest but "
              + (bytes.length - start)
              + " bytes follow");
    }
    if (code.value() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "unsupported multihash code 0x" + Long.toHexString(code.value()));
    }
    validate((int) code.value(), (int) len.value());
    return new Multihash((int) code.value(), Arrays.copyOfRange(bytes, start, bytes.length));
  }

  private static void validate(int code, int length) {
    if (code == SHA2_256) {
      if (length != SHA2_256_LENGTH) {
        throw new IllegalArgumentException(
            "sha2-256 multihash digest must be 32 bytes, got " + length);
      }
    } else if (code != IDENTITY) {
      throw new IllegalArgumentException(
          "unsupported multihash code 0x"
              + Integer.toHexString(code)
              + " (supported: identity 0x00, sha2-256 0x12)");
    }
  }

  /**
   * The hash function code.
   *
   * @return {@link #IDENTITY} or {@link #SHA2_256}
   */
  public int code() {
    return code;
  }

  /**
   * The digest (for identity, the embedded data).
   *
   * @return a copy
   */
  public byte[] digest() {
    return digest.clone();
  }

  /**
   * The binary multihash.
   *
   * @return a copy of {@code varint(code) varint(length) digest}
   */
  public byte[] toBytes() {
    return encoded.clone();
  }

  /**
   * Length of {@link #toBytes()} without copying.
   *
   * @return encoded length in bytes
   */
  public int encodedLength() {
    return encoded.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Multihash m && Arrays.equals(encoded, m.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  /** Returns the base58btc text of the encoding. */
  @Override
  public String toString() {
    return Base58Btc.encode(encoded);
  }
}
