package org.lotusia.libp2p.protocol.dcutr;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of {@link Dcutr}.
 *
 * @param maxAttempts hole-punch rounds (CONNECT, SYNC, simultaneous dials) the inbound side makes
 *     before it gives up and keeps the relay (default 3, the spec's)
 * @param exchangeTimeout time for one round's messages (default 15 s)
 * @param dialTimeout time for each hole-punch dial, connect and upgrade (default 5 s)
 * @param identifyTimeout time to wait for the remote's identify before the first round (default
 *     10 s)
 * @param relayCloseGrace after an upgrade, the relayed connection is closed this much later, so
 *     streams on it can finish (default 10 s)
 * @param maxMessageSize largest message read, length prefix excluded (default 4096, the spec's)
 * @param maxAddresses addresses read from one CONNECT; more make it malformed (default 16)
 * @param allowPrivateAddresses exchange and dial private and loopback addresses too (default false;
 *     for LANs and tests)
 */
public record DcutrConfig(
    int maxAttempts,
    Duration exchangeTimeout,
    Duration dialTimeout,
    Duration identifyTimeout,
    Duration relayCloseGrace,
    int maxMessageSize,
    int maxAddresses,
    boolean allowPrivateAddresses) {

  /** The defaults above. */
  public static final DcutrConfig DEFAULT = builder().build();

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting out of range
   */
  public DcutrConfig {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    positive("exchangeTimeout", exchangeTimeout);
    positive("dialTimeout", dialTimeout);
    positive("identifyTimeout", identifyTimeout);
    Objects.requireNonNull(relayCloseGrace, "relayCloseGrace");
    if (relayCloseGrace.isNegative()) {
      throw new IllegalArgumentException("relayCloseGrace must be >= 0, got " + relayCloseGrace);
    }
    if (maxMessageSize < 256) {
      throw new IllegalArgumentException("maxMessageSize must be >= 256, got " + maxMessageSize);
    }
    if (maxAddresses < 1) {
      throw new IllegalArgumentException("maxAddresses must be >= 1, got " + maxAddresses);
    }
  }

  private static void positive(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DcutrConfig}; defaults are documented on the record. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration exchangeTimeout = Duration.ofSeconds(15);
    private Duration dialTimeout = Duration.ofSeconds(5);
    private Duration identifyTimeout = Duration.ofSeconds(10);
    private Duration relayCloseGrace = Duration.ofSeconds(10);
    private int maxMessageSize = 4096;
    private int maxAddresses = 16;
    private boolean allowPrivateAddresses;

    private Builder() {}

    /** Rounds; default 3. */
    public Builder maxAttempts(int n) {
      this.maxAttempts = n;
      return this;
    }

    /** Time for one round's messages; default 15 s. */
    public Builder exchangeTimeout(Duration d) {
      this.exchangeTimeout = d;
      return this;
    }

    /** Time for each hole-punch dial; default 5 s. */
    public Builder dialTimeout(Duration d) {
      this.dialTimeout = d;
      return this;
    }

    /** Time to wait for identify; default 10 s. */
    public Builder identifyTimeout(Duration d) {
      this.identifyTimeout = d;
      return this;
    }

    /** Delay before the relayed connection is closed after an upgrade; default 10 s. */
    public Builder relayCloseGrace(Duration d) {
      this.relayCloseGrace = d;
      return this;
    }

    /** Largest message; default 4096 bytes. */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = bytes;
      return this;
    }

    /** Addresses per CONNECT; default 16. */
    public Builder maxAddresses(int n) {
      this.maxAddresses = n;
      return this;
    }

    /** Exchange and dial private addresses; default false. */
    public Builder allowPrivateAddresses(boolean allow) {
      this.allowPrivateAddresses = allow;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming a setting out of range
     */
    public DcutrConfig build() {
      return new DcutrConfig(
          maxAttempts,
          exchangeTimeout,
          dialTimeout,
          identifyTimeout,
          relayCloseGrace,
          maxMessageSize,
          maxAddresses,
          allowPrivateAddresses);
    }
  }
}
