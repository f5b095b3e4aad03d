package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.p2p.protocol.JsNumbers;

/**
 * A signed capability advertisement: lotus-sdk's {@code DiscoveryAdvertisement} with its MuSig2
 * extensions, as it travels on the GossipSub topic {@code lotus/discovery/<protocol>} and in the
 * DHT (see {@link AdvertisementJson} for the wire form and {@link AdvertisementSigner} for the
 * signature).
 *
 * <p>The signature covers {@code peerInfo.peerId}, {@code peerInfo.multiaddrs}, {@code protocol},
 * {@code capabilities}, {@code createdAt}, {@code expiresAt} and {@code customCriteria} (reference
 * section 5.3). The other fields are not covered by it; this SDK authenticates them through the
 * channel instead: an advertisement is only accepted from GossipSub when the message author (its
 * libp2p signature) is {@code peerInfo.peerId}, and from the DHT when the record is signed by that
 * peer's identity.
 *
 * <p>An advertisement whose {@code expiresAt} equals its {@code createdAt} is a withdrawal notice:
 * its owner stopped advertising the ID (see {@link #isWithdrawal()}).
 *
 * <p>Immutable: the JSON trees and the signature are copied in and out.
 *
 * @param id the advertisement ID, stable across refreshes
 * @param protocol the protocol advertised, for example {@code musig2}
 * @param peerInfo the advertising peer
 * @param capabilities what the peer offers, in order
 * @param signature the 64-byte Lotus Schnorr signature {@code r || s}
 * @param createdAt when this version was signed, ms since the epoch
 * @param expiresAt when this version expires, ms since the epoch
 * @param reputation the reputation the advertiser claims; carried for lotus-sdk, never trusted
 * @param metadata free-form data, not signed
 * @param customCriteria free-form matching data, signed
 * @param location where the peer says it is, not signed
 * @param publicKey the signing key of a {@code musig2} signer advertisement (top-level {@code
 *     publicKey})
 * @param creatorPublicKey the signing key of a {@code musig2-request} advertisement
 * @param extensions other top-level members, in their order (for example MuSig2's {@code
 *     transactionTypes}, {@code requiredPublicKeys}), written back unchanged
 */
public record DiscoveryAdvertisement(
    String id,
    String protocol,
    DiscoveryPeerInfo peerInfo,
    List<String> capabilities,
    byte[] signature,
    long createdAt,
    long expiresAt,
    double reputation,
    Optional<ObjectNode> metadata,
    Optional<ObjectNode> customCriteria,
    Optional<GeoLocation> location,
    Optional<EcPoint> publicKey,
    Optional<EcPoint> creatorPublicKey,
    ObjectNode extensions) {

  /** Length of a signature. */
  public static final int SIGNATURE_LENGTH = 64;

  /** The prefix of the GossipSub topic of a protocol's advertisements. */
  public static final String TOPIC_PREFIX = "lotus/discovery/";

  /** Top-level member names with a meaning of their own; extensions may not use them. */
  static final List<String> RESERVED =
      List.of(
          "id",
          "protocol",
          "peerInfo",
          "capabilities",
          "signature",
          "createdAt",
          "expiresAt",
          "reputation",
          "metadata",
          "customCriteria",
          "location",
          "publicKey",
          "creatorPublicKey");

  /**
   * Checks the values and copies the mutable parts.
   *
   * @throws IllegalArgumentException when a value is out of its range (empty ID or protocol, a
   *     signature not of 64 bytes, a time outside 0 to 2^53-1, a non-finite reputation, an
   *     extension with a reserved name)
   */
  public DiscoveryAdvertisement {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(peerInfo, "peerInfo");
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(customCriteria, "customCriteria");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(creatorPublicKey, "creatorPublicKey");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("advertisement id must not be empty");
    }
    if (protocol.isEmpty()) {
      throw new IllegalArgumentException("advertisement protocol must not be empty");
    }
    capabilities = List.copyOf(capabilities);
    if (signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "signature must be " + SIGNATURE_LENGTH + " bytes, got " + signature.length);
    }
    signature = signature.clone();
    checkTime("createdAt", createdAt);
    checkTime("expiresAt", expiresAt);
    if (!Double.isFinite(reputation)) {
      throw new IllegalArgumentException("reputation must be a finite number, got " + reputation);
    }
    metadata = metadata.map(ObjectNode::deepCopy);
    customCriteria = customCriteria.map(ObjectNode::deepCopy);
    extensions = extensions == null ? JsonNodeFactory.instance.objectNode() : extensions.deepCopy();
    for (String name : RESERVED) {
      if (extensions.has(name)) {
        throw new IllegalArgumentException("extension members must not use the name '" + name + "'");
      }
    }
  }

  static void checkTime(String what, long ms) {
    if (ms < 0 || ms > JsNumbers.MAX_SAFE_INTEGER) {
      throw new IllegalArgumentException(
          what + " must be ms since the epoch from 0 to 2^53-1, got " + ms);
    }
  }

  /**
   * A builder for an advertisement (used to sign one, see {@link AdvertisementSigner#sign}).
   *
   * @return an empty builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this advertisement's values.
   *
   * @return the builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.protocol = protocol;
    b.peerInfo = peerInfo;
    b.capabilities = capabilities;
    b.signature = signature.clone();
    b.createdAt = createdAt;
    b.expiresAt = expiresAt;
    b.reputation = reputation;
    b.metadata = metadata.orElse(null);
    b.customCriteria = customCriteria.orElse(null);
    b.location = location.orElse(null);
    b.publicKey = publicKey.orElse(null);
    b.creatorPublicKey = creatorPublicKey.orElse(null);
    b.extensions = extensions;
    return b;
  }

  /**
   * The key of this advertisement across versions.
   *
   * @return {@code (peerInfo.peerId, id)}
   */
  public AdvertisementKey key() {
    return new AdvertisementKey(peerInfo.peerId(), id);
  }

  /**
   * The GossipSub topic of this advertisement's protocol.
   *
   * @return {@code lotus/discovery/<protocol>}
   */
  public String topic() {
    return TOPIC_PREFIX + protocol;
  }

  /**
   * Whether this is a withdrawal notice: a signed version whose {@code expiresAt} equals its {@code
   * createdAt}, published by the owner when it stops advertising the ID. lotus-sdk readers drop it
   * as expired.
   *
   * @return true for a withdrawal notice
   */
  public boolean isWithdrawal() {
    return expiresAt == createdAt;
  }

  /**
   * Whether this version has expired.
   *
   * @param nowMillis the current time, ms since the epoch
   * @return true when {@code expiresAt <= now}
   */
  public boolean isExpired(long nowMillis) {
    return expiresAt <= nowMillis;
  }

  /**
   * The exact bytes the signature covers (reference section 5.3).
   *
   * @return the UTF-8 message
   */
  public byte[] signedMessage() {
    return SignedMessage.of(
        peerInfo.peerId(),
        peerInfo.multiaddrs(),
        protocol,
        capabilities,
        createdAt,
        expiresAt,
        customCriteria.orElse(null));
  }

  /**
   * A copy of the signature.
   *
   * @return the 64 bytes
   */
  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /**
   * A copy of the metadata.
   *
   * @return the metadata object, if any
   */
  @Override
  public Optional<ObjectNode> metadata() {
    return metadata.map(ObjectNode::deepCopy);
  }

  /**
   * A copy of the custom criteria.
   *
   * @return the custom criteria object, if any
   */
  @Override
  public Optional<ObjectNode> customCriteria() {
    return customCriteria.map(ObjectNode::deepCopy);
  }

  /**
   * A copy of the other top-level members.
   *
   * @return the extension members, in order
   */
  @Override
  public ObjectNode extensions() {
    return extensions.deepCopy();
  }

  /** Read access without copies, for the codec and the matcher. */
  ObjectNode metadataView() {
    return metadata.orElse(null);
  }

  ObjectNode customCriteriaView() {
    return customCriteria.orElse(null);
  }

  ObjectNode extensionsView() {
    return extensions;
  }

  byte[] signatureView() {
    return signature;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiscoveryAdvertisement a
        && id.equals(a.id)
        && protocol.equals(a.protocol)
        && peerInfo.equals(a.peerInfo)
        && capabilities.equals(a.capabilities)
        && Arrays.equals(signature, a.signature)
        && createdAt == a.createdAt
        && expiresAt == a.expiresAt
        && Double.compare(reputation, a.reputation) == 0
        && metadata.equals(a.metadata)
        && customCriteria.equals(a.customCriteria)
        && location.equals(a.location)
        && publicKey.equals(a.publicKey)
        && creatorPublicKey.equals(a.creatorPublicKey)
        && extensions.equals(a.extensions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(peerInfo.peerId(), id, createdAt, Arrays.hashCode(signature));
  }

  @Override
  public String toString() {
    return "DiscoveryAdvertisement["
        + protocol
        + " "
        + key()
        + ", capabilities="
        + capabilities
        + ", createdAt="
        + createdAt
        + ", expiresAt="
        + expiresAt
        + ", signature="
        + HexFormat.of().formatHex(signature, 0, 4)
        + "...]";
  }

  /**
   * Collects the values of an advertisement. Not thread-safe. Defaults: no capabilities, reputation
   * 0, no optional members.
   */
  public static final class Builder {
    private String id;
    private String protocol;
    private DiscoveryPeerInfo peerInfo;
    private List<String> capabilities = List.of();
    private byte[] signature;
    private long createdAt;
    private long expiresAt;
    private double reputation;
    private ObjectNode metadata;
    private ObjectNode customCriteria;
    private GeoLocation location;
    private EcPoint publicKey;
    private EcPoint creatorPublicKey;
    private ObjectNode extensions;

    private Builder() {}

    /** @param v the ID @return this */
    public Builder id(String v) {
      id = v;
      return this;
    }

    /** @param v the protocol @return this */
    public Builder protocol(String v) {
      protocol = v;
      return this;
    }

    /** @param v the peer info @return this */
    public Builder peerInfo(DiscoveryPeerInfo v) {
      peerInfo = v;
      return this;
    }

    /** @param v the capabilities @return this */
    public Builder capabilities(List<String> v) {
      capabilities = List.copyOf(v);
      return this;
    }

    /** @param v the 64-byte signature @return this */
    public Builder signature(byte[] v) {
      signature = v == null ? null : v.clone();
      return this;
    }

    /** @param v ms since the epoch @return this */
    public Builder createdAt(long v) {
      createdAt = v;
      return this;
    }

    /** @param v ms since the epoch @return this */
    public Builder expiresAt(long v) {
      expiresAt = v;
      return this;
    }

    /** @param v the claimed reputation @return this */
    public Builder reputation(double v) {
      reputation = v;
      return this;
    }

    /** @param v the metadata object, or {@code null} @return this */
    public Builder metadata(ObjectNode v) {
      metadata = v == null ? null : v.deepCopy();
      return this;
    }

    /** @param v the custom criteria object, or {@code null} @return this */
    public Builder customCriteria(ObjectNode v) {
      customCriteria = v == null ? null : v.deepCopy();
      return this;
    }

    /** @param v the location, or {@code null} @return this */
    public Builder location(GeoLocation v) {
      location = v;
      return this;
    }

    /** @param v the top-level (MuSig2 signer) key, or {@code null} @return this */
    public Builder publicKey(EcPoint v) {
      publicKey = v;
      return this;
    }

    /** @param v the MuSig2 request creator key, or {@code null} @return this */
    public Builder creatorPublicKey(EcPoint v) {
      creatorPublicKey = v;
      return this;
    }

    /** @param v the other top-level members, or {@code null} @return this */
    public Builder extensions(ObjectNode v) {
      extensions = v == null ? null : v.deepCopy();
      return this;
    }

    String peerId() {
      return peerInfo == null ? null : peerInfo.peerId();
    }

    long createdAt() {
      return createdAt;
    }

    long expiresAt() {
      return expiresAt;
    }

    String protocol() {
      return protocol;
    }

    EcPoint publicKey() {
      return publicKey;
    }

    EcPoint creatorPublicKey() {
      return creatorPublicKey;
    }

    DiscoveryPeerInfo peerInfo() {
      return peerInfo;
    }

    /**
     * The bytes a signature over the values set so far would cover.
     *
     * @return the message of reference section 5.3
     * @throws IllegalStateException when the peer info or protocol is missing
     */
    public byte[] signedMessage() {
      if (peerInfo == null || protocol == null) {
        throw new IllegalStateException("peerInfo and protocol are needed to sign");
      }
      return SignedMessage.of(
          peerInfo.peerId(),
          peerInfo.multiaddrs(),
          protocol,
          capabilities,
          createdAt,
          expiresAt,
          customCriteria);
    }

    /**
     * Builds the advertisement.
     *
     * @return the advertisement
     * @throws IllegalArgumentException when a value is missing or invalid
     */
    public DiscoveryAdvertisement build() {
      if (signature == null) {
        throw new IllegalArgumentException("signature is missing: sign the advertisement first");
      }
      if (id == null || protocol == null || peerInfo == null) {
        throw new IllegalArgumentException("id, protocol and peerInfo are required");
      }
      return new DiscoveryAdvertisement(
          id,
          protocol,
          peerInfo,
          capabilities,
          signature,
          createdAt,
          expiresAt,
          reputation,
          Optional.ofNullable(metadata),
          Optional.ofNullable(customCriteria),
          Optional.ofNullable(location),
          Optional.ofNullable(publicKey),
          Optional.ofNullable(creatorPublicKey),
          extensions);
    }
  }
}
