package org.lotusia.libp2p.multiformats;

import java.util.Arrays;

/**
 * A content identifier (multiformats CID spec). Version 1 is {@code varint(1) varint(codec)
 * multihash}, printed with a multibase prefix (base32 by default). Version 0 is a bare SHA2-256
 * multihash with the implied codec dag-pb, printed as plain base58btc ({@code Qm...}).
 *
 * <p>Supported content codecs: {@link #LIBP2P_KEY} (peer IDs), {@link #RAW} and {@link #DAG_PB}.
 * Immutable and thread-safe.
 */
public final class Cid {

  /** Multicodec {@code libp2p-key}, 0x72: the content is a libp2p public key (peer IDs). */
  public static final long LIBP2P_KEY = 0x72;

  /** Multicodec {@code raw}, 0x55: raw binary content. */
  public static final long RAW = 0x55;

  /** Multicodec {@code dag-pb}, 0x70: the codec implied by CIDv0. */
  public static final long DAG_PB = 0x70;

  private final int version;
  private final long codec;
  private final Multihash multihash;

  private Cid(int version, long codec, Multihash multihash) {
    this.version = version;
    this.codec = codec;
    this.multihash = multihash;
  }

  /**
   * A CIDv1.
   *
   * @param codec {@link #LIBP2P_KEY}, {@link #RAW} or {@link #DAG_PB}
   * @param multihash the content hash
   * @return the CID
   * @throws IllegalArgumentException if the codec is unsupported
   */
  public static Cid v1(long codec, Multihash multihash) {
    checkCodec(codec);
    return new Cid(1, codec, multihash);
  }

  /**
   * A CIDv0 (dag-pb, SHA2-256).
   *
   * @param multihash a SHA2-256 multihash
   * @return the CID
   * @throws IllegalArgumentException if the multihash is not SHA2-256
   */
  public static Cid v0(Multihash multihash) {
    if (multihash.code() != Multihash.SHA2_256) {
      throw new IllegalArgumentException("CIDv0 requires a sha2-256 multihash");
    }
    return new Cid(0, DAG_PB, multihash);
  }

  /**
   * Parses a CID from text: a 46-character {@code Qm...} base58btc CIDv0, or a multibase CIDv1.
   *
   * @param text the CID text
   * @return the CID
   * @throws IllegalArgumentException naming what is malformed
   */
  public static Cid parse(String text) {
    if (text.length() == 46 && text.startsWith("Qm")) {
      return v0(Multihash.decode(Base58Btc.decode(text)));
    }
    byte[] bytes;
    try {
      bytes = Multibase.decode(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid CID '" + text + "': " + e.getMessage(), e);
    }
    return fromBytes(bytes);
  }

  /**
   * Decodes a binary CID: a CIDv1, or a 34-byte CIDv0 starting with {@code 0x12 0x20}.
   *
   * @param bytes the binary CID
   * @return the CID
   * @throws IllegalArgumentException naming what is malformed
   */
  public static Cid fromBytes(byte[] bytes) {
    if (bytes.length == 34 && bytes[0] == 0x12 && bytes[1] == 0x20) {
      return v0(Multihash.decode(bytes));
    }
    Varint.Decoded version = Varint.decode(bytes, 0);
    if (version.value() != 1) {
      throw new IllegalArgumentException("unsupported CID version " + version.value());
    }
    Varint.Decoded codec = Varint.decode(bytes, version.length());
    checkCodec(codec.value());
    int start = version.length() + codec.length();
    return new Cid(
        1, codec.value(), Multihash.decode(Arrays.copyOfRange(bytes, start, bytes.length)));
  }

  private static void checkCodec(long codec) {
    if (codec != LIBP2P_KEY && codec != RAW && codec != DAG_PB) {
      throw new IllegalArgumentException(
          "unsupported CID codec 0x"
              + Long.toHexString(codec)
              + " (supported: libp2p-key 0x72, raw 0x55, dag-pb 0x70)");
    }
  }

  /**
   * The CID version.
   *
   * @return 0 or 1
   */
  public int version() {
    return version;
  }

  /**
   * The content codec.
   *
   * @return a multicodec code
   */
  public long codec() {
    return codec;
  }

  /**
   * The content multihash.
   *
   * @return the multihash
   */
  public Multihash multihash() {
    return multihash;
  }

  /**
   * The binary CID.
   *
   * @return for v0 the multihash, for v1 {@code varint(1) varint(codec) multihash}
   */
  public byte[] toBytes() {
    byte[] mh = multihash.toBytes();
    if (version == 0) {
      return mh;
    }
    int codecLen = Varint.encodedLength(codec);
    byte[] out = new byte[1 + codecLen + mh.length];
    out[0] = 1;
    Varint.write(codec, out, 1);
    System.arraycopy(mh, 0, out, 1 + codecLen, mh.length);
    return out;
  }

  /**
   * Text form in the given base; a CIDv0 is always plain base58btc.
   *
   * @param base the multibase for a CIDv1
   * @return the text
   */
  public String toString(Multibase.Base base) {
    return version == 0 ? Base58Btc.encode(toBytes()) : Multibase.encode(base, toBytes());
  }

  /** Returns the canonical text: base32 for v1, base58btc for v0. */
  @Override
  public String toString() {
    return toString(Multibase.Base.BASE32);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cid c
        && version == c.version
        && codec == c.codec
        && multihash.equals(c.multihash);
  }

  @Override
  public int hashCode() {
    return (31 * version + Long.hashCode(codec)) * 31 + multihash.hashCode();
  }
}
