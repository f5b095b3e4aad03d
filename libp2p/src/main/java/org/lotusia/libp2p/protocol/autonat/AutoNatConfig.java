package org.lotusia.libp2p.protocol.autonat;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the {@link AutoNat} client.
 *
 * @param confirmations outcomes of one kind, net of the other kind, that decide an address's
 *     verdict from unknown; also how many disagreeing outcomes in a row flip a verdict (default 3,
 *     the spec's suggestion; see {@link ReachabilityTracker})
 * @param maxConfidence the confidence a verdict can build up to (default 3)
 * @param checkInterval how often the client looks for an address to probe (default 5 s; also after
 *     each identify with a server)
 * @param retryInterval time between probes of an address whose verdict is unknown or not fully
 *     confident (default 30 s)
 * @param refreshInterval time between probes of an address with a fully confident verdict (default
 *     15 min)
 * @param probeTimeout time for one probe, the server's dial-back included (default 60 s)
 * @param serverBackoff a server that refused or failed is not asked again for this long (default 5
 *     min)
 * @param maxDialDataToSend v2: the most dial data this client pays for one probe; a server asking
 *     more is not paid (default 100,000 bytes, the spec's upper suggestion)
 * @param useV1 ask v1 servers when a server speaks no v2 (default true)
 * @param testPrivateAddresses also probe private and loopback listen, announced and observed
 *     addresses (default false: the spec says clients should not send private addresses; for LANs
 *     and tests)
 */
public record AutoNatConfig(
    int confirmations,
    int maxConfidence,
    Duration checkInterval,
    Duration retryInterval,
    Duration refreshInterval,
    Duration probeTimeout,
    Duration serverBackoff,
    int maxDialDataToSend,
    boolean useV1,
    boolean testPrivateAddresses) {

  /** The defaults above. */
  public static final AutoNatConfig DEFAULT = builder().build();

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting out of range
   */
  public AutoNatConfig {
    if (confirmations < 1 || maxConfidence < confirmations - 1) {
      throw new IllegalArgumentException(
          "need confirmations >= 1 and maxConfidence >= confirmations - 1, got "
              + confirmations + " and " + maxConfidence);
    }
    positive("checkInterval", checkInterval);
    positive("retryInterval", retryInterval);
    positive("refreshInterval", refreshInterval);
    positive("probeTimeout", probeTimeout);
    positive("serverBackoff", serverBackoff);
    if (maxDialDataToSend < 0) {
      throw new IllegalArgumentException("maxDialDataToSend must be >= 0, got " + maxDialDataToSend);
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

  /** Builds an {@link AutoNatConfig}; defaults are documented on the record. */
  public static final class Builder {
    private int confirmations = 3;
    private int maxConfidence = 3;
    private Duration checkInterval = Duration.ofSeconds(5);
    private Duration retryInterval = Duration.ofSeconds(30);
    private Duration refreshInterval = Duration.ofMinutes(15);
    private Duration probeTimeout = Duration.ofSeconds(60);
    private Duration serverBackoff = Duration.ofMinutes(5);
    private int maxDialDataToSend = 100_000;
    private boolean useV1 = true;
    private boolean testPrivateAddresses;

    private Builder() {}

    /** Confirmations and the highest confidence; default 3 and 3. */
    public Builder confidence(int confirmations, int maxConfidence) {
      this.confirmations = confirmations;
      this.maxConfidence = maxConfidence;
      return this;
    }

    /** Look-for-work period; default 5 s. */
    public Builder checkInterval(Duration d) {
      this.checkInterval = d;
      return this;
    }

    /** Probe spacing while unsure and once sure; default 30 s and 15 min. */
    public Builder intervals(Duration retry, Duration refresh) {
      this.retryInterval = retry;
      this.refreshInterval = refresh;
      return this;
    }

    /** Time for one probe; default 60 s. */
    public Builder probeTimeout(Duration d) {
      this.probeTimeout = d;
      return this;
    }

    /** Pause of a server after a refusal; default 5 min. */
    public Builder serverBackoff(Duration d) {
      this.serverBackoff = d;
      return this;
    }

    /** Dial data paid at most per probe; default 100,000 bytes. */
    public Builder maxDialDataToSend(int bytes) {
      this.maxDialDataToSend = bytes;
      return this;
    }

    /** Whether to ask v1-only servers; default true. */
    public Builder useV1(boolean use) {
      this.useV1 = use;
      return this;
    }

    /** Also probe private and loopback addresses; default false. */
    public Builder testPrivateAddresses(boolean test) {
      this.testPrivateAddresses = test;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming a setting out of range
     */
    public AutoNatConfig build() {
      return new AutoNatConfig(
          confirmations,
          maxConfidence,
          checkInterval,
          retryInterval,
          refreshInterval,
          probeTimeout,
          serverBackoff,
          maxDialDataToSend,
          useV1,
          testPrivateAddresses);
    }
  }
}
