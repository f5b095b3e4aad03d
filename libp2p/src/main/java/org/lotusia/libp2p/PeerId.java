package org.lotusia.libp2p;

import java.util.Arrays;
import java.util.Optional;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.libp2p.multiformats.Base58Btc;
import org.lotusia.libp2p.multiformats.Cid;
import org.lotusia.libp2p.multiformats.Multibase;
import org.lotusia.libp2p.multiformats.Multihash;

/**
 * A libp2p peer ID: the multihash of a peer's protobuf-encoded public key (peer-id spec). Keys
 * whose encoding is at most {@value #MAX_INLINE_KEY_LENGTH} bytes (Ed25519, secp256k1) are inlined
 * with the identity multihash, so the key can be recovered with {@link #publicKey()}; longer keys
 * (RSA, ECDSA) are hashed with SHA2-256.
 *
 * <p>Text forms: base58btc of the multihash ({@code 12D3KooW...}, {@code Qm...}; the canonical form
 * used by {@link #toString()}) and the CIDv1 with codec libp2p-key ({@code bafz...}, {@link
 * #toCid()}); {@link #parse} accepts both.
 *
 * <p>Immutable and thread-safe. Ordered by the bytes of the multihash (unsigned, lexicographic).
 */
public final class PeerId implements Comparable<PeerId> {

  /** Longest public key encoding that is inlined with the identity multihash. */
  public static final int MAX_INLINE_KEY_LENGTH = 42;

  /** Longest accepted text form; real peer IDs are at most about 62 characters. */
  private static final int MAX_TEXT_LENGTH = 128;

  private final byte[] bytes;
  private final IdentityPublicKey publicKey;
  private final int hash;

  /** Cached base58 text; a benign race computes it at most once per thread. */
  private String base58;

  private PeerId(byte[] bytes, IdentityPublicKey publicKey) {
    this.bytes = bytes;
    this.publicKey = publicKey;
    this.hash = Arrays.hashCode(bytes);
  }

  /**
   * The peer ID of a public key.
   *
   * @param key the public key
   * @return its peer ID
   */
  public static PeerId fromPublicKey(IdentityPublicKey key) {
    byte[] encoded = key.encoded();
    if (encoded.length <= MAX_INLINE_KEY_LENGTH) {
      return new PeerId(Multihash.identity(encoded).toBytes(), key);
    }
    return new PeerId(Multihash.sha256(encoded).toBytes(), null);
  }

  /**
   * The peer ID from its binary multihash. An identity multihash must hold a valid public key
   * protobuf of at most {@value #MAX_INLINE_KEY_LENGTH} bytes; a SHA2-256 multihash must have a
   * 32-byte digest.
   *
   * @param multihash the binary multihash, copied
   * @return the peer ID
   * @throws IllegalArgumentException if the bytes are not a valid peer ID multihash
   */
  public static PeerId fromBytes(byte[] multihash) {
    Multihash mh;
    try {
      mh = Multihash.decode(multihash);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer ID multihash: " + e.getMessage(), e);
    }
    return fromMultihash(mh);
  }

  private static PeerId fromMultihash(Multihash mh) {
    if (mh.code() == Multihash.SHA2_256) {
      return new PeerId(mh.toBytes(), null);
    }
    byte[] digest = mh.digest();
    if (digest.length > MAX_INLINE_KEY_LENGTH) {
      throw new IllegalArgumentException(
          "identity peer ID holds "
              + digest.length
              + " bytes, more than the "
              + MAX_INLINE_KEY_LENGTH
              + " a public key may inline");
    }
    IdentityPublicKey key;
    try {
      key = Keys.decodePublicKey(digest);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "identity peer ID does not hold a valid public key: " + e.getMessage(), e);
    }
    if (!Arrays.equals(key.encoded(), digest)) {
      throw new IllegalArgumentException(
          "identity peer ID holds a non-canonical public key encoding");
    }
    return new PeerId(mh.toBytes(), key);
  }

  /**
   * Parses a peer ID from text: base58btc multihash ({@code 12D3KooW...}, {@code Qm...}, starting
   * with {@code 1} or {@code Qm}) or a multibase CIDv1 with codec libp2p-key ({@code bafz...}).
   *
   * @param text the peer ID text
   * @return the peer ID
   * @throws IllegalArgumentException if the text is not a valid peer ID
   */
  public static PeerId parse(String text) {
    if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "peer ID text must be 1 to " + MAX_TEXT_LENGTH + " characters, got " + text.length());
    }
    try {
      if (text.charAt(0) == '1' || text.startsWith("Qm")) {
        PeerId id = fromBytes(Base58Btc.decode(text));
        // Base58Btc is a bijection between byte strings and texts, so the input is the canonical text.
        id.base58 = text;
        return id;
      }
      Cid cid = Cid.parse(text);
      if (cid.version() != 1 || cid.codec() != Cid.LIBP2P_KEY) {
        throw new IllegalArgumentException(
            "CID is not a v1 libp2p-key CID (version "
                + cid.version()
                + ", codec 0x"
                + Long.toHexString(cid.codec())
                + ")");
      }
      return fromMultihash(cid.multihash());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid peer ID '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * The binary multihash.
   *
   * @return a fresh copy
   */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /**
   * The canonical text form: base58btc of the multihash.
   *
   * @return e.g. {@code 12D3KooW...}
   */
  public String toBase58() {
    String s = base58;
    if (s == null) {
      s = Base58Btc.encode(bytes);
      base58 = s;
    }
    return s;
  }

  /**
   * The CIDv1 text form (codec libp2p-key, base32).
   *
   * @return e.g. {@code bafzaa...}
   */
  public String toCid() {
    return Cid.v1(Cid.LIBP2P_KEY, Multihash.decode(bytes)).toString(Multibase.Base.BASE32);
  }

  /**
   * The public key, when inlined (identity multihash: Ed25519 and secp256k1 keys).
   *
   * @return the key, or empty for SHA2-256 peer IDs
   */
  public Optional<IdentityPublicKey> publicKey() {
    return Optional.ofNullable(publicKey);
  }

  /**
   * Whether {@code key} is the key this peer ID was derived from.
   *
   * @param key a public key
   * @return true if {@code fromPublicKey(key)} equals this peer ID
   */
  public boolean matches(IdentityPublicKey key) {
    return equals(fromPublicKey(key));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerId p && hash == p.hash && Arrays.equals(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(PeerId o) {
    return Arrays.compareUnsigned(bytes, o.bytes);
  }

  /** Returns {@link #toBase58()}. */
  @Override
  public String toString() {
    return toBase58();
  }
}
