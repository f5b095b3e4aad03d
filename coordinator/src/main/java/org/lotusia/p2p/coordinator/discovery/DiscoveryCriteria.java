package org.lotusia.p2p.coordinator.discovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.lotusia.p2p.coordinator.internal.Json;

/**
 * What a discoverer looks for (lotus-sdk's {@code DiscoveryCriteria}), with lotus-sdk's matching
 * rules:
 *
 * <ul>
 *   <li>the advertisement's protocol equals {@code protocol};
 *   <li>it offers every capability of {@code capabilities};
 *   <li>the advertiser's reputation is at least {@code minReputation} (when given and not 0). Unlike
 *       lotus-sdk, the reputation is the one this node keeps for the peer ({@link
 *       DiscoverySecurityValidator#reputation(String)}), never the number the advertisement claims;
 *   <li>when both the criteria and the advertisement have a location, the haversine distance is at
 *       most {@code radiusKm};
 *   <li>every member of {@code customCriteria} is present in the advertisement's {@code
 *       customCriteria} with an equal value (numbers by value; objects and arrays by content, which
 *       lotus-sdk never matches).
 * </ul>
 *
 * {@code maxResults} bounds what {@code discover} returns. Immutable.
 *
 * @param protocol the protocol
 * @param capabilities capabilities that must all be offered
 * @param minReputation the lowest accepted reputation
 * @param location the area to search
 * @param customCriteria members that must match (a copy is taken and returned)
 * @param maxResults the most results of a {@code discover}
 */
public record DiscoveryCriteria(
    String protocol,
    List<String> capabilities,
    OptionalDouble minReputation,
    Optional<Area> location,
    Optional<ObjectNode> customCriteria,
    OptionalInt maxResults) {

  /**
   * A circle on the earth.
   *
   * @param center its centre
   * @param radiusKm its radius in kilometres, not negative
   */
  public record Area(GeoLocation center, double radiusKm) {

    /** Checks the radius. */
    public Area {
      Objects.requireNonNull(center, "center");
      if (!(radiusKm >= 0) || Double.isInfinite(radiusKm)) {
        throw new IllegalArgumentException("radiusKm must be a finite number >= 0, got " + radiusKm);
      }
    }
  }

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when the protocol is not a valid name, {@code maxResults} is
   *     below 1 or {@code minReputation} is not finite
   */
  public DiscoveryCriteria {
    Checks.protocol(protocol, "criteria protocol");
    capabilities = List.copyOf(capabilities);
    Objects.requireNonNull(minReputation, "minReputation");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(maxResults, "maxResults");
    customCriteria = Objects.requireNonNull(customCriteria, "customCriteria").map(ObjectNode::deepCopy);
    if (minReputation.isPresent() && !Double.isFinite(minReputation.getAsDouble())) {
      throw new IllegalArgumentException("minReputation must be finite, got " + minReputation.getAsDouble());
    }
    if (maxResults.isPresent() && maxResults.getAsInt() < 1) {
      throw new IllegalArgumentException("maxResults must be at least 1, got " + maxResults.getAsInt());
    }
  }

  /**
   * Criteria that match every advertisement of a protocol.
   *
   * @param protocol the protocol
   * @return the criteria
   */
  public static DiscoveryCriteria forProtocol(String protocol) {
    return builder(protocol).build();
  }

  /**
   * A builder for criteria of a protocol.
   *
   * @param protocol the protocol
   * @return the builder
   */
  public static Builder builder(String protocol) {
    return new Builder(protocol);
  }

  /**
   * The GossipSub topic of the protocol.
   *
   * @return {@code lotus/discovery/<protocol>}
   */
  public String topic() {
    return DiscoveryAdvertisement.TOPIC_PREFIX + protocol;
  }

  /**
   * A copy of the custom criteria.
   *
   * @return the members that must match
   */
  @Override
  public Optional<ObjectNode> customCriteria() {
    return customCriteria.map(ObjectNode::deepCopy);
  }

  /**
   * Whether an advertisement matches.
   *
   * @param ad the advertisement
   * @param reputation the reputation this node keeps for the advertiser
   * @return true when every rule holds
   */
  public boolean matches(DiscoveryAdvertisement ad, double reputation) {
    if (!ad.protocol().equals(protocol)) {
      return false;
    }
    if (!ad.capabilities().containsAll(capabilities)) {
      return false;
    }
    // lotus-sdk tests `if (criteria.minReputation)`: 0 means no bound.
    if (minReputation.isPresent() && minReputation.getAsDouble() != 0 && reputation < minReputation.getAsDouble()) {
      return false;
    }
    if (location.isPresent() && ad.location().isPresent()) {
      Area a = location.get();
      if (a.center().distanceKm(ad.location().get()) > a.radiusKm()) {
        return false;
      }
    }
    if (customCriteria.isPresent()) {
      ObjectNode want = customCriteria.get();
      ObjectNode have = ad.customCriteriaView();
      if (have == null) {
        return false;
      }
      for (Map.Entry<String, JsonNode> e : want.properties()) {
        if (!JsValues.equal(e.getValue(), have.get(e.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Builds criteria; by default every advertisement of the protocol matches. Not thread-safe. */
  public static final class Builder {
    private final String protocol;
    private final List<String> capabilities = new ArrayList<>();
    private OptionalDouble minReputation = OptionalDouble.empty();
    private Area location;
    private ObjectNode customCriteria;
    private OptionalInt maxResults = OptionalInt.empty();

    private Builder(String protocol) {
      this.protocol = protocol;
    }

    /**
     * Requires capabilities (adds to those required so far).
     *
     * @param required the capabilities
     * @return this
     */
    public Builder capabilities(String... required) {
      capabilities.addAll(List.of(required));
      return this;
    }

    /**
     * Requires a reputation of at least {@code min} (as this node keeps it).
     *
     * @param min the bound
     * @return this
     */
    public Builder minReputation(double min) {
      minReputation = OptionalDouble.of(min);
      return this;
    }

    /**
     * Requires advertisements with a location to lie within a circle.
     *
     * @param center the centre
     * @param radiusKm the radius in kilometres
     * @return this
     */
    public Builder near(GeoLocation center, double radiusKm) {
      location = new Area(center, radiusKm);
      return this;
    }

    /**
     * Requires a member of the advertisement's custom criteria to equal a value.
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

    /**
     * Bounds the results of a {@code discover}.
     *
     * @param max at least 1
     * @return this
     */
    public Builder maxResults(int max) {
      maxResults = OptionalInt.of(max);
      return this;
    }

    /**
     * Builds the criteria.
     *
     * @return the criteria
     * @throws IllegalArgumentException when a value is invalid
     */
    public DiscoveryCriteria build() {
      return new DiscoveryCriteria(
          protocol,
          capabilities,
          minReputation,
          Optional.ofNullable(location),
          Optional.ofNullable(customCriteria),
          maxResults);
    }
  }
}
