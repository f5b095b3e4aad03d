package org.lotusia.libp2p.protocol.relay;

import java.time.Duration;
import java.util.Objects;
import org.lotusia.libp2p.ConnectionLimits;

/**
 * Settings of a {@link RelayService}. Defaults follow lotus-sdk (at most 100 reservations, two-hour
 * reservations, relayed connections limited to 120 s and 128 KiB) and go-libp2p's resource limits
 * for the rest.
 *
 * @param maxReservations reservations held at once (default 100)
 * @param maxReservationsPerIp reservations from one IP address (default 8)
 * @param reservationTtl lifetime of a reservation, renewed by a new {@code RESERVE} (default 2 h)
 * @param circuitLimits limits of each relayed connection, {@code null} for none (default 120 s and
 *     131,072 bytes per direction)
 * @param maxCircuits relayed connections open at once (default 1024)
 * @param maxCircuitsPerPeer relayed connections from or to one peer (default 16)
 * @param hopTimeout time for a hop exchange, the stop exchange included (default 30 s)
 * @param maxMessageSize largest hop or stop message read (default 4096 bytes)
 * @param maxAdvertisedAddresses relay addresses put into a reservation (default 16)
 * @param requirePublicAddress refuse reservations ({@code RESERVATION_REFUSED}) until the relay
 *     advertises at least one public address (a public listen or announced address, or an observed
 *     one AutoNAT confirmed), so no peer is handed circuit addresses nobody can dial (rust-libp2p
 *     issue 2621). Default false, for relays on a LAN or loopback; a relay on the internet turns it
 *     on.
 */
public record RelayServiceConfig(
    int maxReservations,
    int maxReservationsPerIp,
    Duration reservationTtl,
    ConnectionLimits circuitLimits,
    int maxCircuits,
    int maxCircuitsPerPeer,
    Duration hopTimeout,
    int maxMessageSize,
    int maxAdvertisedAddresses,
    boolean requirePublicAddress) {

  /** The defaults described above. */
  public static final RelayServiceConfig DEFAULT = builder().build();

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException naming the setting out of range
   */
  public RelayServiceConfig {
    positive("maxReservations", maxReservations);
    positive("maxReservationsPerIp", maxReservationsPerIp);
    positive("maxCircuits", maxCircuits);
    positive("maxCircuitsPerPeer", maxCircuitsPerPeer);
    positive("maxAdvertisedAddresses", maxAdvertisedAddresses);
    if (maxMessageSize < 256) {
      throw new IllegalArgumentException("maxMessageSize must be >= 256, got " + maxMessageSize);
    }
    atLeastOneSecond("reservationTtl", reservationTtl);
    Objects.requireNonNull(hopTimeout, "hopTimeout");
    if (hopTimeout.isNegative() || hopTimeout.isZero()) {
      throw new IllegalArgumentException("hopTimeout must be positive, got " + hopTimeout);
    }
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
  }

  private static void atLeastOneSecond(String name, Duration d) {
    Objects.requireNonNull(d, name);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException(name + " must be at least 1 s, got " + d);
    }
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link RelayServiceConfig}; every setter documents its default on the record. */
  public static final class Builder {
    private int maxReservations = 100;
    private int maxReservationsPerIp = 8;
    private Duration reservationTtl = Duration.ofHours(2);
    private ConnectionLimits circuitLimits =
        new ConnectionLimits(Duration.ofSeconds(120), 128 * 1024);
    private int maxCircuits = 1024;
    private int maxCircuitsPerPeer = 16;
    private Duration hopTimeout = Duration.ofSeconds(30);
    private int maxMessageSize = 4096;
    private int maxAdvertisedAddresses = 16;
    private boolean requirePublicAddress;

    private Builder() {}

    /** Reservations held at once; default 100. */
    public Builder maxReservations(int n) {
      this.maxReservations = n;
      return this;
    }

    /** Reservations from one IP address; default 8. */
    public Builder maxReservationsPerIp(int n) {
      this.maxReservationsPerIp = n;
      return this;
    }

    /** Reservation lifetime; default 2 h. */
    public Builder reservationTtl(Duration ttl) {
      this.reservationTtl = ttl;
      return this;
    }

    /** Limits of each relayed connection, {@code null} for none; default 120 s and 128 KiB. */
    public Builder circuitLimits(ConnectionLimits limits) {
      this.circuitLimits = limits;
      return this;
    }

    /** Relayed connections open at once; default 1024. */
    public Builder maxCircuits(int n) {
      this.maxCircuits = n;
      return this;
    }

    /** Relayed connections from or to one peer; default 16. */
    public Builder maxCircuitsPerPeer(int n) {
      this.maxCircuitsPerPeer = n;
      return this;
    }

    /** Time for one hop exchange; default 30 s. */
    public Builder hopTimeout(Duration timeout) {
      this.hopTimeout = timeout;
      return this;
    }

    /** Largest hop or stop message read; default 4096 bytes. */
    public Builder maxMessageSize(int bytes) {
      this.maxMessageSize = bytes;
      return this;
    }

    /** Relay addresses put into a reservation; default 16. */
    public Builder maxAdvertisedAddresses(int n) {
      this.maxAdvertisedAddresses = n;
      return this;
    }

    /** Refuse reservations until a public address is advertised; default false. */
    public Builder requirePublicAddress(boolean require) {
      this.requirePublicAddress = require;
      return this;
    }

    /**
     * Builds the settings.
     *
     * @throws IllegalArgumentException naming a setting out of range
     */
    public RelayServiceConfig build() {
      return new RelayServiceConfig(
          maxReservations,
          maxReservationsPerIp,
          reservationTtl,
          circuitLimits,
          maxCircuits,
          maxCircuitsPerPeer,
          hopTimeout,
          maxMessageSize,
          maxAdvertisedAddresses,
          requirePublicAddress);
    }
  }
}
