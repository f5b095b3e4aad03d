package org.lotusia.swapsig;

import java.time.Duration;
import java.util.Objects;

/**
 * Local limits and timings of a {@link SwapSigManager} (the pool's own terms are in {@link
 * PoolParameters}). Immutable; build with {@link #builder()}.
 *
 * @param maxPools pools this node hosts or takes part in at once
 * @param maxDiscovered announcements of other nodes kept
 * @param maxInboundQueue network messages waiting for the service thread; more are refused
 * @param maxClockSkew how far a message's timestamp may be from this node's clock
 * @param pollInterval how often the chain is polled while waiting for it
 * @param chainRetry how long a Chronik call that cannot reach the server is retried
 * @param broadcastGrace how long a co-signer that is not the elected finaliser waits before it
 *     broadcasts a settlement the finaliser did not
 * @param refundGuard how long an aborted participant keeps watching for a setup transaction it
 *     handed in being broadcast after all (it then refunds it)
 * @param maxPendingReveals early reveals held per pool until this node reaches the reveal phase
 */
public record SwapSigConfig(
    int maxPools,
    int maxDiscovered,
    int maxInboundQueue,
    Duration maxClockSkew,
    Duration pollInterval,
    Duration chainRetry,
    Duration broadcastGrace,
    Duration refundGuard,
    int maxPendingReveals) {

  /** Validates. @throws IllegalArgumentException naming a setting out of range */
  public SwapSigConfig {
    if (maxPools < 1 || maxDiscovered < 1 || maxInboundQueue < 1 || maxPendingReveals < 1) {
      throw new IllegalArgumentException(
          "maxPools, maxDiscovered, maxInboundQueue and maxPendingReveals must be positive");
    }
    for (Duration d :
        new Duration[] {maxClockSkew, pollInterval, chainRetry, broadcastGrace, refundGuard}) {
      Objects.requireNonNull(d, "duration");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive, got " + d);
      }
    }
  }

  /** @return the defaults of {@link #builder()} */
  public static SwapSigConfig defaults() {
    return builder().build();
  }

  /**
   * @return a builder with the defaults: 16 pools, 256 announcements, 4096 queued messages, 5 min
   *     clock skew, chain polled every 3 s (lotus-sdk's {@code confirmationPollInterval}), Chronik
   *     retried for 2 min, 30 s broadcast grace, 60 min refund guard, 64 early reveals
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link SwapSigConfig}; not thread-safe. */
  public static final class Builder {
    private int maxPools = 16;
    private int maxDiscovered = 256;
    private int maxInboundQueue = 4096;
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private Duration pollInterval = Duration.ofSeconds(3);
    private Duration chainRetry = Duration.ofMinutes(2);
    private Duration broadcastGrace = Duration.ofSeconds(30);
    private Duration refundGuard = Duration.ofMinutes(60);
    private int maxPendingReveals = 64;

    private Builder() {}

    /** Pools at once; default 16. */
    public Builder maxPools(int n) {
      maxPools = n;
      return this;
    }

    /** Announcements kept; default 256. */
    public Builder maxDiscovered(int n) {
      maxDiscovered = n;
      return this;
    }

    /** Queued network messages; default 4096. */
    public Builder maxInboundQueue(int n) {
      maxInboundQueue = n;
      return this;
    }

    /** Accepted timestamp skew; default 5 min. */
    public Builder maxClockSkew(Duration d) {
      maxClockSkew = d;
      return this;
    }

    /** Chain poll interval; default 3 s. */
    public Builder pollInterval(Duration d) {
      pollInterval = d;
      return this;
    }

    /** Retry window of unreachable Chronik calls; default 2 min. */
    public Builder chainRetry(Duration d) {
      chainRetry = d;
      return this;
    }

    /** Wait before a co-signer broadcasts in the finaliser's place; default 30 s. */
    public Builder broadcastGrace(Duration d) {
      broadcastGrace = d;
      return this;
    }

    /** Watch after an abort for a handed-in setup transaction; default 60 min. */
    public Builder refundGuard(Duration d) {
      refundGuard = d;
      return this;
    }

    /** Early reveals held per pool; default 64. */
    public Builder maxPendingReveals(int n) {
      maxPendingReveals = n;
      return this;
    }

    /** @return the configuration */
    public SwapSigConfig build() {
      return new SwapSigConfig(
          maxPools,
          maxDiscovered,
          maxInboundQueue,
          maxClockSkew,
          pollInterval,
          chainRetry,
          broadcastGrace,
          refundGuard,
          maxPendingReveals);
    }
  }
}
