package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.p2p.coordinator.internal.Json;
import org.lotusia.p2p.coordinator.resource.ResourceCodec;

/**
 * What an application wants to advertise; the {@link DiscoveryAdvertiser} adds the rest: {@code
 * peerInfo.peerId} (always this node's, so receivers can check the GossipSub author), the
 * addresses (this node's reachable addresses at each publication, unless fixed here), {@code
 * createdAt}, {@code expiresAt = createdAt + ttl}, the signing key in the field the protocol's
 * rules name (see {@link AdvertisementSigner}) and the signature.
 *
 * @param id the advertisement ID (1 to 256 characters, no {@code /} or control characters); empty
 *     for a random one
 * @param protocol the protocol; empty for the discovery system's
 * @param capabilities what this node offers
 * @param ttl the lifetime of each version; empty for the options' default (30 min)
 * @param autoRefresh whether to re-sign and publish a new version before each expires; empty for
 *     the options' default (true)
 * @param reputation the reputation claimed, for lotus-sdk readers (default 50); receivers using this
 *     SDK ignore it
 * @param multiaddrs fixed addresses; empty list for this node's reachable addresses
 * @param metadata free-form data (not signed)
 * @param customCriteria free-form matching data (signed)
 * @param location where this node says it is
 * @param extensions other top-level members (for example MuSig2's {@code transactionTypes})
 */
public record AdvertisementSpec(
    Optional<String> id,
    Optional<String> protocol,
    List<String> capabilities,
    Optional<Duration> ttl,
    Optional<Boolean> autoRefresh,
    double reputation,
    List<String> multiaddrs,
    Optional<ObjectNode> metadata,
    Optional<ObjectNode> customCriteria,
    Optional<GeoLocation> location,
    Optional<ObjectNode> extensions) {

  /** The shortest TTL accepted. */
  public static final Duration MIN_TTL = Duration.ofSeconds(10);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the first invalid value
   */
  public AdvertisementSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(autoRefresh, "autoRefresh");
    Objects.requireNonNull(location, "location");
    id.ifPresent(s -> ResourceCodec.checkTypeAndId("discovery-advertisement", s));
    protocol.ifPresent(p -> Checks.protocol(p, "protocol"));
    capabilities = List.copyOf(capabilities);
    for (String c : capabilities) {
      Checks.text(c, AdvertisementLimits.DEFAULT.maxCapabilityLength(), "capability");
    }
    if (capabilities.size() > AdvertisementLimits.DEFAULT.maxCapabilities()) {
      throw new IllegalArgumentException(
          "at most " + AdvertisementLimits.DEFAULT.maxCapabilities() + " capabilities, got " + capabilities.size());
    }
    ttl.ifPresent(
        t -> {
          if (t.compareTo(MIN_TTL) < 0) {
            throw new IllegalArgumentException("ttl must be at least " + MIN_TTL + ", got " + t);
          }
        });
    if (!Double.isFinite(reputation)) {
      throw new IllegalArgumentException("reputation must be finite, got " + reputation);
    }
    multiaddrs = List.copyOf(multiaddrs);
    for (String a : multiaddrs) {
      if (!a.startsWith("/")) {
        throw new IllegalArgumentException("multiaddr '" + a + "' does not start with /");
      }
    }
    metadata = Objects.requireNonNull(metadata, "metadata").map(ObjectNode::deepCopy);
    customCriteria = Objects.requireNonNull(customCriteria, "customCriteria").map(ObjectNode::deepCopy);
    extensions = Objects.requireNonNull(extensions, "extensions").map(ObjectNode::deepCopy);
    extensions.ifPresent(
        e -> {
          for (String name : DiscoveryAdvertisement.RESERVED) {
            if (e.has(name)) {
              throw new IllegalArgumentException("extensions must not use the name '" + name + "'");
            }
          }
        });
  }

  /**
   * A builder with the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a spec; nothing is required. Not thread-safe. */
  public static final class Builder {
    private String id;
    private String protocol;
    private final List<String> capabilities = new ArrayList<>();
    private Duration ttl;
    private Boolean autoRefresh;
    private double reputation = 50;
    private final List<String> multiaddrs = new ArrayList<>();
    private ObjectNode metadata;
    private ObjectNode customCriteria;
    private GeoLocation location;
    private ObjectNode extensions;

    private Builder() {}

    /** @param v the advertisement ID @return this */
    public Builder id(String v) {
      id = v;
      return this;
    }

    /** @param v the protocol @return this */
    public Builder protocol(String v) {
      protocol = v;
      return this;
    }

    /** @param v capabilities to add @return this */
    public Builder capabilities(String... v) {
      capabilities.addAll(List.of(v));
      return this;
    }

    /** @param v the lifetime of each version @return this */
    public Builder ttl(Duration v) {
      ttl = v;
      return this;
    }

    /** @param v whether to refresh @return this */
    public Builder autoRefresh(boolean v) {
      autoRefresh = v;
      return this;
    }

    /** @param v the claimed reputation @return this */
    public Builder reputation(double v) {
      reputation = v;
      return this;
    }

    /** @param v fixed addresses to add @return this */
    public Builder multiaddrs(String... v) {
      multiaddrs.addAll(List.of(v));
      return this;
    }

    /**
     * Sets the metadata.
     *
     * @param v a JSON object, or any value Jackson writes as an object
     * @return this
     */
    public Builder metadata(Object v) {
      metadata = object(v, "metadata");
      return this;
    }

    /**
     * Sets a member of the custom criteria (in order of the calls: the order is signed).
     *
     * @param name the member
     * @param value any value Jackson can write
     * @return this
     */
    public Builder customCriterion(String name, Object value) {
      if (customCriteria == null) {
        customCriteria = Json.MAPPER.createObjectNode();
      }
      customCriteria.set(name, Json.toTree(value));
      return this;
    }

    /** @param v the location @return this */
    public Builder location(GeoLocation v) {
      location = v;
      return this;
    }

    /**
     * Sets a top-level extension member.
     *
     * @param name the member (not one of the advertisement's own fields)
     * @param value any value Jackson can write
     * @return this
     */
    public Builder extension(String name, Object value) {
      if (extensions == null) {
        extensions = Json.MAPPER.createObjectNode();
      }
      extensions.set(name, Json.toTree(value));
      return this;
    }

    private static ObjectNode object(Object v, String what) {
      if (v == null) {
        return null;
      }
      var tree = Json.toTree(v);
      if (!tree.isObject()) {
        throw new IllegalArgumentException(what + " must be a JSON object");
      }
      return (ObjectNode) tree;
    }

    /**
     * Builds the spec.
     *
     * @return the spec
     * @throws IllegalArgumentException when a value is invalid
     */
    public AdvertisementSpec build() {
      return new AdvertisementSpec(
          Optional.ofNullable(id),
          Optional.ofNullable(protocol),
          capabilities,
          Optional.ofNullable(ttl),
          Optional.ofNullable(autoRefresh),
          reputation,
          multiaddrs,
          Optional.ofNullable(metadata),
          Optional.ofNullable(customCriteria),
          Optional.ofNullable(location),
          Optional.ofNullable(extensions));
    }
  }
}
