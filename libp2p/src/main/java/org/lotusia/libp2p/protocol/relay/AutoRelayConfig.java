package org.lotusia.libp2p.protocol.relay;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;

/**
 * Settings of {@link AutoRelay}.
 *
 * @param staticRelays relays to hold a reservation on whenever reservations are wanted, each a
 *     direct address ending in {@code /p2p/<relay>} (default none)
 * @param targetReservations reservations to hold on relays found among connected peers, beyond the
 *     static ones (default 2)
 * @param renewBefore how long before its expiration a reservation is renewed (default 10 min; a
 *     reservation shorter than twice this is renewed at half its lifetime)
 * @param checkInterval how often the relays are checked (default 5 s)
 * @param minBackoff wait after a first failure on a relay before trying it again (default 1 s)
 * @param maxBackoff the longest wait between attempts on a failing relay (default 5 min)
 * @param reachability supplies this node's reachability, e.g. from AutoNAT (default always {@link
 *     Reachability#UNKNOWN}, which reserves)
 */
public record AutoRelayConfig(
    List<Multiaddr> staticRelays,
    int targetReservations,
    Duration renewBefore,
    Duration checkInterval,
    Duration minBackoff,
    Duration maxBackoff,
    Supplier<Reachability> reachability) {

  /** No static relays, two discovered reservations, reachability unknown. */
  public static final AutoRelayConfig DEFAULT = builder().build();

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting out of range
   */
  public AutoRelayConfig {
    staticRelays = List.copyOf(staticRelays);
    for (Multiaddr a : staticRelays) {
      if (a.peerId().isEmpty() || a.has(MultiaddrProtocol.P2P_CIRCUIT)) {
        throw new IllegalArgumentException(
            "a static relay must be a direct address ending in /p2p/<relay>, got " + a);
      }
    }
    if (targetReservations < 0) {
      throw new IllegalArgumentException(
          "targetReservations must be >= 0, got " + targetReservations);
    }
    positive("renewBefore", renewBefore);
    positive("checkInterval", checkInterval);
    positive("minBackoff", minBackoff);
    positive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be >= minBackoff");
    }
    Objects.requireNonNull(reachability, "reachability");
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

  /** Builds an {@link AutoRelayConfig}; the defaults are documented on the record. */
  public static final class Builder {
    private List<Multiaddr> staticRelays = List.of();
    private int targetReservations = 2;
    private Duration renewBefore = Duration.ofMinutes(10);
    private Duration checkInterval = Duration.ofSeconds(5);
    private Duration minBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(5);
    private Supplier<Reachability> reachability = () -> Reachability.UNKNOWN;

    private Builder() {}

    /** Static relays; default none. */
    public Builder staticRelays(List<Multiaddr> relays) {
      this.staticRelays = relays;
      return this;
    }

    /** Reservations on discovered relays; default 2. */
    public Builder targetReservations(int n) {
      this.targetReservations = n;
      return this;
    }

    /** Renewal margin before expiration; default 10 min. */
    public Builder renewBefore(Duration d) {
      this.renewBefore = d;
      return this;
    }

    /** Check period; default 5 s. */
    public Builder checkInterval(Duration d) {
      this.checkInterval = d;
      return this;
    }

    /** Backoff bounds after failures; default 1 s to 5 min. */
    public Builder backoff(Duration min, Duration max) {
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /** The reachability source, e.g. AutoNAT's; default always unknown. */
    public Builder reachability(Supplier<Reachability> source) {
      this.reachability = source;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming a setting out of range
     */
    public AutoRelayConfig build() {
      return new AutoRelayConfig(
          staticRelays,
          targetReservations,
          renewBefore,
          checkInterval,
          minBackoff,
          maxBackoff,
          reachability);
    }
  }
}
