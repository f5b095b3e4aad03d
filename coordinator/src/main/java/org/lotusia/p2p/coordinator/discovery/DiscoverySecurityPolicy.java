package org.lotusia.p2p.coordinator.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The rules of a {@link DiscoverySecurityValidator} (lotus-sdk's {@code SecurityPolicy}). Signature
 * verification and replay prevention are always on: lotus-sdk's switches for them are not offered.
 *
 * @param minReputation advertisements of peers whose kept reputation is below this are refused
 *     (default 50; {@code musig2} 70, {@code swapsig} 60)
 * @param initialReputation the reputation of a peer not seen before (default 75, lotus-sdk's)
 * @param maxAdvertisementAge the oldest {@code createdAt} accepted, relative to now (default 1 h;
 *     {@code musig2} 30 min). Advertisers refresh (re-sign with a new {@code createdAt}) more often
 * @param maxClockSkew how far in the future {@code createdAt} may lie (default 5 min)
 * @param maxAdvertisementsPerPeer new advertisement versions accepted per peer per window (default
 *     5)
 * @param rateLimitWindow the window of that limit (default 60 s)
 * @param maxTrackedPeers peers whose reputation and rate window are kept (default 10,000; the least
 *     recently seen is forgotten beyond)
 * @param maxTrackedAdvertisements advertisement versions remembered for replay prevention (default
 *     50,000; the oldest remembered is forgotten beyond)
 * @param customValidators further checks, all of which must pass
 */
public record DiscoverySecurityPolicy(
    double minReputation,
    double initialReputation,
    Duration maxAdvertisementAge,
    Duration maxClockSkew,
    int maxAdvertisementsPerPeer,
    Duration rateLimitWindow,
    int maxTrackedPeers,
    int maxTrackedAdvertisements,
    List<CustomValidator> customValidators) {

  /**
   * A named extra check of advertisements. The test runs on the thread that validates (the
   * coordinator's callback executor for network input); throwing counts as refusing.
   *
   * @param name for logs and the refusal detail
   * @param test true to accept
   */
  public record CustomValidator(String name, Predicate<DiscoveryAdvertisement> test) {
    /** Checks for nulls. */
    public CustomValidator {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(test, "test");
    }
  }

  /** The defaults (lotus-sdk's {@code DEFAULT_SECURITY_POLICY}). */
  public static final DiscoverySecurityPolicy DEFAULT = builder().build();

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the first invalid value
   */
  public DiscoverySecurityPolicy {
    if (!(minReputation >= 0 && minReputation <= 100)) {
      throw new IllegalArgumentException("minReputation must be from 0 to 100, got " + minReputation);
    }
    if (!(initialReputation >= 0 && initialReputation <= 100)) {
      throw new IllegalArgumentException(
          "initialReputation must be from 0 to 100, got " + initialReputation);
    }
    positive(maxAdvertisementAge, "maxAdvertisementAge");
    Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    if (maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxClockSkew must not be negative, got " + maxClockSkew);
    }
    atLeastOne(maxAdvertisementsPerPeer, "maxAdvertisementsPerPeer");
    positive(rateLimitWindow, "rateLimitWindow");
    atLeastOne(maxTrackedPeers, "maxTrackedPeers");
    atLeastOne(maxTrackedAdvertisements, "maxTrackedAdvertisements");
    customValidators = List.copyOf(customValidators);
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void atLeastOne(int v, String name) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + v);
    }
  }

  /**
   * lotus-sdk's {@code createSecurityPolicy(protocol)}: {@code musig2} requires reputation 70 and
   * advertisements younger than 30 min, {@code swapsig} reputation 60; others the defaults.
   *
   * @param protocol the protocol
   * @return a builder with the protocol's values
   */
  public static Builder forProtocol(String protocol) {
    Builder b = builder();
    if (protocol.equals("musig2")) {
      b.minReputation(70).maxAdvertisementAge(Duration.ofMinutes(30));
    } else if (protocol.equals("swapsig")) {
      b.minReputation(60).maxAdvertisementAge(Duration.ofHours(1));
    }
    return b;
  }

  /**
   * A builder with the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a policy; see the record components for the defaults. Not thread-safe. */
  public static final class Builder {
    private double minReputation = 50;
    private double initialReputation = 75;
    private Duration maxAdvertisementAge = Duration.ofHours(1);
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private int maxAdvertisementsPerPeer = 5;
    private Duration rateLimitWindow = Duration.ofSeconds(60);
    private int maxTrackedPeers = 10_000;
    private int maxTrackedAdvertisements = 50_000;
    private final List<CustomValidator> customValidators = new ArrayList<>();

    private Builder() {}

    /** @param v the minimum reputation, 0 to 100 @return this */
    public Builder minReputation(double v) {
      minReputation = v;
      return this;
    }

    /** @param v the reputation of a new peer, 0 to 100 @return this */
    public Builder initialReputation(double v) {
      initialReputation = v;
      return this;
    }

    /** @param v the maximum age @return this */
    public Builder maxAdvertisementAge(Duration v) {
      maxAdvertisementAge = v;
      return this;
    }

    /** @param v the allowed clock skew @return this */
    public Builder maxClockSkew(Duration v) {
      maxClockSkew = v;
      return this;
    }

    /**
     * The per-peer rate limit.
     *
     * @param max new versions per window
     * @param window the window
     * @return this
     */
    public Builder rateLimit(int max, Duration window) {
      maxAdvertisementsPerPeer = max;
      rateLimitWindow = window;
      return this;
    }

    /** @param v peers tracked @return this */
    public Builder maxTrackedPeers(int v) {
      maxTrackedPeers = v;
      return this;
    }

    /** @param v advertisement versions remembered @return this */
    public Builder maxTrackedAdvertisements(int v) {
      maxTrackedAdvertisements = v;
      return this;
    }

    /**
     * Adds a custom check.
     *
     * @param name its name
     * @param test true to accept
     * @return this
     */
    public Builder customValidator(String name, Predicate<DiscoveryAdvertisement> test) {
      customValidators.add(new CustomValidator(name, test));
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException when a value is invalid
     */
    public DiscoverySecurityPolicy build() {
      return new DiscoverySecurityPolicy(
          minReputation,
          initialReputation,
          maxAdvertisementAge,
          maxClockSkew,
          maxAdvertisementsPerPeer,
          rateLimitWindow,
          maxTrackedPeers,
          maxTrackedAdvertisements,
          customValidators);
    }
  }
}
