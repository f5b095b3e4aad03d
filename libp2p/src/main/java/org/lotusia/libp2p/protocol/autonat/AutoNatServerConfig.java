package org.lotusia.libp2p.protocol.autonat;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of an {@link AutoNatServer}.
 *
 * @param dialTimeout time for one dial-back, connect and upgrade (default 15 s)
 * @param maxRequestsPerPeer requests one peer may make per {@code rateWindow} (default 4)
 * @param maxRequests requests all peers together may make per {@code rateWindow} (default 60)
 * @param rateWindow the window of the two request limits (default 1 min)
 * @param maxConcurrent requests served at once; more are refused (default 8)
 * @param maxAddresses addresses read from one request; a request with more is malformed (default
 *     32)
 * @param maxDialsPerRequest v1: addresses dialled for one request, in order (default 4)
 * @param maxMessageSize largest message read, length prefix excluded (default 8 KiB)
 * @param allowPrivateAddresses dial private and loopback addresses too (default false; for tests
 *     and LANs only)
 * @param dialDataForOtherIps v2: dial an address whose IP differs from the requester's observed
 *     one after the requester paid with dial data (the spec's amplification defence). Default
 *     false: such addresses are never dialled, whatever is paid, so this server can never be used
 *     to reach a third party
 * @param minDialData v2: dial data asked for, at least (default 30,000 bytes)
 * @param maxDialData v2: dial data asked for, at most (default 100,000 bytes)
 * @param dialDataTimeout v2: time for the requester to send the dial data (default 30 s)
 */
public record AutoNatServerConfig(
    Duration dialTimeout,
    int maxRequestsPerPeer,
    int maxRequests,
    Duration rateWindow,
    int maxConcurrent,
    int maxAddresses,
    int maxDialsPerRequest,
    int maxMessageSize,
    boolean allowPrivateAddresses,
    boolean dialDataForOtherIps,
    int minDialData,
    int maxDialData,
    Duration dialDataTimeout) {

  /** The defaults above. */
  public static final AutoNatServerConfig DEFAULT = builder().build();

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting out of range
   */
  public AutoNatServerConfig {
    positive("dialTimeout", dialTimeout);
    positive("rateWindow", rateWindow);
    positive("dialDataTimeout", dialDataTimeout);
    atLeast("maxRequestsPerPeer", maxRequestsPerPeer, 1);
    atLeast("maxRequests", maxRequests, 1);
    atLeast("maxConcurrent", maxConcurrent, 1);
    atLeast("maxAddresses", maxAddresses, 1);
    atLeast("maxDialsPerRequest", maxDialsPerRequest, 1);
    atLeast("maxMessageSize", maxMessageSize, 256);
    atLeast("minDialData", minDialData, 1);
    if (maxDialData < minDialData) {
      throw new IllegalArgumentException(
          "maxDialData must be >= minDialData, got " + maxDialData + " < " + minDialData);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  private static void atLeast(String name, int v, int min) {
    if (v < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", got " + v);
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AutoNatServerConfig}; defaults are documented on the record. */
  public static final class Builder {
    private Duration dialTimeout = Duration.ofSeconds(15);
    private int maxRequestsPerPeer = 4;
    private int maxRequests = 60;
    private Duration rateWindow = Duration.ofMinutes(1);
    private int maxConcurrent = 8;
    private int maxAddresses = 32;
    private int maxDialsPerRequest = 4;
    private int maxMessageSize = 8 * 1024;
    private boolean allowPrivateAddresses;
    private boolean dialDataForOtherIps;
    private int minDialData = 30_000;
    private int maxDialData = 100_000;
    private Duration dialDataTimeout = Duration.ofSeconds(30);

    private Builder() {}

    /** Dial-back time; default 15 s. */
    public Builder dialTimeout(Duration d) {
      this.dialTimeout = d;
      return this;
    }

    /** Request limits per peer and in total per window; default 4 and 60 per minute. */
    public Builder rateLimits(int perPeer, int total, Duration window) {
      this.maxRequestsPerPeer = perPeer;
      this.maxRequests = total;
      this.rateWindow = window;
      return this;
    }

    /** Requests served at once; default 8. */
    public Builder maxConcurrent(int n) {
      this.maxConcurrent = n;
      return this;
    }

    /** Addresses per request; default 32. */
    public Builder maxAddresses(int n) {
      this.maxAddresses = n;
      return this;
    }

    /** v1 dials per request; default 4. */
    public Builder maxDialsPerRequest(int n) {
      this.maxDialsPerRequest = n;
      return this;
    }

    /** Largest message read; default 8 KiB. */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = bytes;
      return this;
    }

    /** Dial private and loopback addresses; default false. */
    public Builder allowPrivateAddresses(boolean allow) {
      this.allowPrivateAddresses = allow;
      return this;
    }

    /** v2: dial other IPs after dial data; default false (never). */
    public Builder dialDataForOtherIps(boolean allow) {
      this.dialDataForOtherIps = allow;
      return this;
    }

    /** v2: dial data asked for, range; default 30,000 to 100,000 bytes. */
    public Builder dialData(int min, int max) {
      this.minDialData = min;
      this.maxDialData = max;
      return this;
    }

    /** v2: time to send the dial data; default 30 s. */
    public Builder dialDataTimeout(Duration d) {
      this.dialDataTimeout = d;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming a setting out of range
     */
    public AutoNatServerConfig build() {
      return new AutoNatServerConfig(
          dialTimeout,
          maxRequestsPerPeer,
          maxRequests,
          rateWindow,
          maxConcurrent,
          maxAddresses,
          maxDialsPerRequest,
          maxMessageSize,
          allowPrivateAddresses,
          dialDataForOtherIps,
          minDialData,
          maxDialData,
          dialDataTimeout);
    }
  }
}
