package org.lotusia.p2p.coordinator.resource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.internal.Json;

/**
 * Signs resource announcements with the creator's libp2p identity key and checks them.
 *
 * <p>Signed bytes: the ASCII domain {@code lotus-p2p-resource/1}, then resource type, resource ID,
 * creator peer ID and the canonical JSON of {@code data} (members sorted by name), each as a 4-byte
 * big-endian length and UTF-8, then {@code createdAt} and {@code expiresAt} as 8-byte big-endian
 * integers ({@code -1} for no expiry). Length prefixes make the encoding unambiguous; the domain
 * keeps a resource signature from being valid for anything else the key signs. The key is the one
 * the peer ID holds (Ed25519 and secp256k1 identities inline it), so a signature binds the record to
 * {@code creatorPeerId} without any lookup. Stateless and thread-safe.
 */
public final class ResourceSigner {

  private static final byte[] DOMAIN = "lotus-p2p-resource/1".getBytes(StandardCharsets.US_ASCII);

  /** The outcome of checking an announcement's signature. */
  public enum Verdict {
    /** Signed by the key of {@code creatorPeerId}. */
    VALID,
    /** No signature (a lotus-sdk record). */
    UNSIGNED,
    /** A signature that does not verify, or a creator whose key cannot be known. */
    INVALID
  }

  private ResourceSigner() {}

  /**
   * The bytes a signature covers.
   *
   * @param a the announcement (its signature is ignored)
   * @return the signed bytes
   */
  public static byte[] signingBytes(ResourceAnnouncement a) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(DOMAIN);
    field(out, a.resourceType());
    field(out, a.resourceId());
    field(out, a.creatorPeerId());
    field(out, Json.canonical(a.data()));
    out.writeBytes(ByteBuffer.allocate(16).putLong(a.createdAt()).putLong(a.expiresAt().orElse(-1)).array());
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(b.length).array());
    out.writeBytes(b);
  }

  /**
   * Signs an announcement made by the owner of {@code key}.
   *
   * @param a the announcement; its creator must be the peer ID of {@code key}
   * @param key the creator's identity key
   * @return the announcement with its signature, {@code authenticated} true
   * @throws IllegalArgumentException when the key is not the creator's
   */
  public static ResourceAnnouncement sign(ResourceAnnouncement a, IdentityPrivateKey key) {
    String owner = PeerId.fromPublicKey(key.publicKey()).toBase58();
    if (!owner.equals(a.creatorPeerId())) {
      throw new IllegalArgumentException(
          "announcement of " + a.creatorPeerId() + " cannot be signed by the key of " + owner);
    }
    return withSignature(a, key.sign(signingBytes(a)), true);
  }

  private static ResourceAnnouncement withSignature(
      ResourceAnnouncement a, byte[] signature, boolean authenticated) {
    return new ResourceAnnouncement(
        a.resourceId(),
        a.resourceType(),
        a.creatorPeerId(),
        a.data(),
        a.createdAt(),
        a.expiresAt(),
        signature,
        authenticated);
  }

  /**
   * Checks the signature of an announcement against its creator's peer ID.
   *
   * @param a the announcement
   * @return the verdict
   */
  public static Verdict verify(ResourceAnnouncement a) {
    byte[] sig = a.signature();
    if (sig == null) {
      return Verdict.UNSIGNED;
    }
    Optional<IdentityPublicKey> key;
    try {
      key = PeerId.parse(a.creatorPeerId()).publicKey();
    } catch (IllegalArgumentException e) {
      return Verdict.INVALID;
    }
    if (key.isEmpty()) {
      return Verdict.INVALID; // a hashed peer ID: the record cannot prove its creator
    }
    return key.get().verify(signingBytes(a), sig) ? Verdict.VALID : Verdict.INVALID;
  }

  /**
   * The announcement marked with the result of {@link #verify}.
   *
   * @param a an announcement read from the network
   * @return it with {@code authenticated} set
   * @throws IllegalArgumentException when the signature does not verify
   */
  public static ResourceAnnouncement authenticate(ResourceAnnouncement a) {
    Verdict v = verify(a);
    if (v == Verdict.INVALID) {
      throw new IllegalArgumentException(
          "signature of " + a.key() + " does not verify for creator " + a.creatorPeerId());
    }
    boolean ok = v == Verdict.VALID;
    return ok == a.authenticated() ? a : withSignature(a, a.signature(), ok);
  }
}
