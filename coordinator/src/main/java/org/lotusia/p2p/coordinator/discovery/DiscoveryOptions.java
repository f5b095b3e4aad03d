package org.lotusia.p2p.coordinator.discovery;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Settings of a {@link DiscoverySystem}, with lotus-sdk's defaults where it has them ({@code
 * DEFAULT_DISCOVERY_OPTIONS}). Immutable; built by {@link #builder()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@code ttl}: lifetime of each advertisement version</td><td>30 min</td></tr>
 *   <tr><td>{@code refreshInterval}: a new version is signed and published this often (less
 *       than {@code ttl})</td><td>20 min</td></tr>
 *   <tr><td>{@code autoRefresh}</td><td>true</td></tr>
 *   <tr><td>{@code maxRetries} / {@code retryDelay}: GossipSub publication attempts, the n-th
 *       retry after n x delay</td><td>3 / 1 s</td></tr>
 *   <tr><td>{@code maxAdvertisementsPerWindow} / {@code rateLimitWindow}: new versions this node
 *       publishes (advertise, refresh, withdrawal); receivers accept 5 per minute by
 *       default</td><td>5 / 60 s</td></tr>
 *   <tr><td>{@code cache}: where accepted advertisements are kept</td><td>{@link
 *       InMemoryDiscoveryCache} of 10,000</td></tr>
 *   <tr><td>{@code sweepInterval}: expired advertisements are dropped (and reported) this
 *       often</td><td>60 s</td></tr>
 *   <tr><td>{@code discoverTimeout}: the DHT part of {@code discover}</td><td>the coordinator's
 *       {@code discoverTimeout}</td></tr>
 *   <tr><td>{@code queueCapacity}: deliveries a subscription or listener may fall behind before
 *       further ones are dropped and counted</td><td>1024</td></tr>
 *   <tr><td>{@code limits}</td><td>{@link AdvertisementLimits#DEFAULT}</td></tr>
 *   <tr><td>{@code securityPolicy}</td><td>{@link DiscoverySecurityPolicy#forProtocol} of the
 *       system's protocol</td></tr>
 *   <tr><td>{@code listen}: follow the protocol's topic from {@code start()} on, so that {@code
 *       discover} finds what was published since</td><td>true</td></tr>
 * </table>
 */
public final class DiscoveryOptions {

  private final Duration ttl;
  private final Duration refreshInterval;
  private final boolean autoRefresh;
  private final int maxRetries;
  private final Duration retryDelay;
  private final int maxAdvertisementsPerWindow;
  private final Duration rateLimitWindow;
  private final Supplier<DiscoveryCache> cache;
  private final Duration sweepInterval;
  private final Optional<Duration> discoverTimeout;
  private final int queueCapacity;
  private final AdvertisementLimits limits;
  private final Optional<DiscoverySecurityPolicy> securityPolicy;
  private final boolean listen;

  private DiscoveryOptions(Builder b) {
    ttl = b.ttl;
    refreshInterval = b.refreshInterval;
    autoRefresh = b.autoRefresh;
    maxRetries = b.maxRetries;
    retryDelay = b.retryDelay;
    maxAdvertisementsPerWindow = b.maxAdvertisementsPerWindow;
    rateLimitWindow = b.rateLimitWindow;
    cache = b.cache;
    sweepInterval = b.sweepInterval;
    discoverTimeout = Optional.ofNullable(b.discoverTimeout);
    queueCapacity = b.queueCapacity;
    limits = b.limits;
    securityPolicy = Optional.ofNullable(b.securityPolicy);
    listen = b.listen;
  }

  /** The defaults. */
  public static final DiscoveryOptions DEFAULT = builder().build();

  /**
   * A builder with the defaults.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the lifetime of each advertisement version */
  public Duration ttl() {
    return ttl;
  }

  /** @return how often a new version is published */
  public Duration refreshInterval() {
    return refreshInterval;
  }

  /** @return whether advertisements are refreshed by default */
  public boolean autoRefresh() {
    return autoRefresh;
  }

  /** @return GossipSub publication attempts */
  public int maxRetries() {
    return maxRetries;
  }

  /** @return the base delay between attempts */
  public Duration retryDelay() {
    return retryDelay;
  }

  /** @return new versions this node publishes per window */
  public int maxAdvertisementsPerWindow() {
    return maxAdvertisementsPerWindow;
  }

  /** @return the window of the advertiser's rate limit */
  public Duration rateLimitWindow() {
    return rateLimitWindow;
  }

  /** @return a new cache for a discoverer */
  DiscoveryCache newCache() {
    return Objects.requireNonNull(cache.get(), "the cache supplier returned null");
  }

  /** @return how often expired advertisements are swept */
  public Duration sweepInterval() {
    return sweepInterval;
  }

  /** @return the deadline of the DHT part of discover, when set */
  public Optional<Duration> discoverTimeout() {
    return discoverTimeout;
  }

  /** @return deliveries a subscription or listener may fall behind */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** @return the bounds on received advertisements */
  public AdvertisementLimits limits() {
    return limits;
  }

  /** @return the security policy, when set */
  public Optional<DiscoverySecurityPolicy> securityPolicy() {
    return securityPolicy;
  }

  /** @return whether the system follows its protocol's topic */
  public boolean listen() {
    return listen;
  }

  /** Builds options; see the class comment for the defaults. Not thread-safe. */
  public static final class Builder {
    private Duration ttl = Duration.ofMinutes(30);
    private Duration refreshInterval = Duration.ofMinutes(20);
    private boolean autoRefresh = true;
    private int maxRetries = 3;
    private Duration retryDelay = Duration.ofSeconds(1);
    private int maxAdvertisementsPerWindow = 5;
    private Duration rateLimitWindow = Duration.ofSeconds(60);
    private Supplier<DiscoveryCache> cache = InMemoryDiscoveryCache::new;
    private Duration sweepInterval = Duration.ofSeconds(60);
    private Duration discoverTimeout;
    private int queueCapacity = 1024;
    private AdvertisementLimits limits = AdvertisementLimits.DEFAULT;
    private DiscoverySecurityPolicy securityPolicy;
    private boolean listen = true;

    private Builder() {}

    /**
     * The lifetime of each version and how often a new one is published.
     *
     * @param ttl at least {@link AdvertisementSpec#MIN_TTL}
     * @param refreshInterval positive and shorter than {@code ttl}
     * @return this
     */
    public Builder ttl(Duration ttl, Duration refreshInterval) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      this.refreshInterval = Objects.requireNonNull(refreshInterval, "refreshInterval");
      return this;
    }

    /** @param v whether to refresh by default @return this */
    public Builder autoRefresh(boolean v) {
      autoRefresh = v;
      return this;
    }

    /**
     * GossipSub publication attempts.
     *
     * @param attempts at least 1
     * @param delay the base delay, positive
     * @return this
     */
    public Builder retries(int attempts, Duration delay) {
      maxRetries = attempts;
      retryDelay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * This node's advertisement rate limit.
     *
     * @param max new versions per window, at least 1
     * @param window positive
     * @return this
     */
    public Builder rateLimit(int max, Duration window) {
      maxAdvertisementsPerWindow = max;
      rateLimitWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * The cache of a discoverer.
     *
     * @param supplier called once per discovery system
     * @return this
     */
    public Builder cache(Supplier<DiscoveryCache> supplier) {
      cache = Objects.requireNonNull(supplier, "cache");
      return this;
    }

    /** @param v the expiry sweep interval, positive @return this */
    public Builder sweepInterval(Duration v) {
      sweepInterval = Objects.requireNonNull(v, "sweepInterval");
      return this;
    }

    /** @param v the deadline of the DHT part of discover, positive @return this */
    public Builder discoverTimeout(Duration v) {
      discoverTimeout = Objects.requireNonNull(v, "discoverTimeout");
      return this;
    }

    /** @param v deliveries a subscription or listener may fall behind, at least 1 @return this */
    public Builder queueCapacity(int v) {
      queueCapacity = v;
      return this;
    }

    /** @param v the bounds on received advertisements @return this */
    public Builder limits(AdvertisementLimits v) {
      limits = Objects.requireNonNull(v, "limits");
      return this;
    }

    /** @param v the security policy @return this */
    public Builder securityPolicy(DiscoverySecurityPolicy v) {
      securityPolicy = Objects.requireNonNull(v, "securityPolicy");
      return this;
    }

    /** @param v whether to follow the protocol's topic from start @return this */
    public Builder listen(boolean v) {
      listen = v;
      return this;
    }

    /**
     * Builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public DiscoveryOptions build() {
      if (ttl.compareTo(AdvertisementSpec.MIN_TTL) < 0) {
        throw new IllegalArgumentException("ttl must be at least " + AdvertisementSpec.MIN_TTL + ", got " + ttl);
      }
      positive(refreshInterval, "refreshInterval");
      if (refreshInterval.compareTo(ttl) >= 0) {
        throw new IllegalArgumentException(
            "refreshInterval (" + refreshInterval + ") must be shorter than ttl (" + ttl + "), or advertisements lapse between refreshes");
      }
      if (maxRetries < 1) {
        throw new IllegalArgumentException("retries must be at least 1, got " + maxRetries);
      }
      positive(retryDelay, "retry delay");
      if (maxAdvertisementsPerWindow < 1) {
        throw new IllegalArgumentException("rate limit must allow at least 1, got " + maxAdvertisementsPerWindow);
      }
      positive(rateLimitWindow, "rate limit window");
      positive(sweepInterval, "sweepInterval");
      if (discoverTimeout != null) {
        positive(discoverTimeout, "discoverTimeout");
      }
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1, got " + queueCapacity);
      }
      return new DiscoveryOptions(this);
    }

    private static void positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
    }
  }
}
