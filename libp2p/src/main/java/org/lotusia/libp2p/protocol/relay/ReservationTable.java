package org.lotusia.libp2p.protocol.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.lotusia.libp2p.PeerId;

/**
 * The relay's book of reservations and open circuits, free of I/O so that tests drive it with a
 * stepped clock.
 *
 * <p>Reservations: at most one per peer (a new {@code RESERVE} renews it), at most {@code
 * maxReservations} in all and {@code maxReservationsPerIp} per IP address. Expired entries are
 * dropped whenever the table is consulted, so its size never exceeds the limit. Circuits: counted in
 * all and per peer (as source or destination), bounded by {@code maxCircuits} and {@code
 * maxCircuitsPerPeer}.
 *
 * <p>Thread-safe: every method is {@code synchronized} and does no I/O, so the lock is held only
 * for map updates.
 */
final class ReservationTable {

  /** One reservation. */
  record Entry(PeerId peer, String ip, Instant expiration) {}

  /** The outcome of {@link #reserve}: a status and, when OK, the expiration. */
  record Result(RelayStatus status, Instant expiration) {}

  private final RelayServiceConfig config;
  private final Map<PeerId, Entry> reservations = new HashMap<>();
  private final Map<String, Integer> perIp = new HashMap<>();
  private final Map<PeerId, Integer> circuitsPerPeer = new HashMap<>();
  private int circuits;

  ReservationTable(RelayServiceConfig config) {
    this.config = config;
  }

  /**
   * Creates or renews the reservation of {@code peer} reaching the relay from {@code ip}. A renewal
   * moves the expiration and keeps the slot; a new reservation needs room in all and for the IP.
   * The expiration is rounded down to a whole second, the resolution of the wire field.
   */
  synchronized Result reserve(PeerId peer, String ip, Instant now) {
    purge(now);
    Instant expiration =
        Instant.ofEpochSecond(now.plus(config.reservationTtl()).getEpochSecond());
    Entry existing = reservations.get(peer);
    if (existing == null) {
      if (reservations.size() >= config.maxReservations()) {
        return new Result(RelayStatus.RESERVATION_REFUSED, null);
      }
      if (perIp.getOrDefault(ip, 0) >= config.maxReservationsPerIp()) {
        return new Result(RelayStatus.RESERVATION_REFUSED, null);
      }
    } else {
      decrementIp(existing.ip());
    }
    reservations.put(peer, new Entry(peer, ip, expiration));
    perIp.merge(ip, 1, Integer::sum);
    return new Result(RelayStatus.OK, expiration);
  }

  /** The live reservation of {@code peer}. */
  synchronized Optional<Entry> get(PeerId peer, Instant now) {
    purge(now);
    return Optional.ofNullable(reservations.get(peer));
  }

  /** Drops the reservation of {@code peer}; true when there was one. */
  synchronized boolean remove(PeerId peer) {
    Entry e = reservations.remove(peer);
    if (e != null) {
      decrementIp(e.ip());
    }
    return e != null;
  }

  /** The number of live reservations. */
  synchronized int size(Instant now) {
    purge(now);
    return reservations.size();
  }

  /** How long until the reservation of {@code peer} expires, or empty without one. */
  synchronized Optional<Duration> remaining(PeerId peer, Instant now) {
    return get(peer, now).map(e -> Duration.between(now, e.expiration()));
  }

  /**
   * Counts a new circuit from {@code src} to {@code dst}; false (and nothing counted) when the total
   * or either peer's share is used up.
   */
  synchronized boolean openCircuit(PeerId src, PeerId dst) {
    if (circuits >= config.maxCircuits()
        || circuitsPerPeer.getOrDefault(src, 0) >= config.maxCircuitsPerPeer()
        || circuitsPerPeer.getOrDefault(dst, 0) >= config.maxCircuitsPerPeer()) {
      return false;
    }
    circuits++;
    circuitsPerPeer.merge(src, 1, Integer::sum);
    circuitsPerPeer.merge(dst, 1, Integer::sum);
    return true;
  }

  /** Forgets a circuit counted by {@link #openCircuit}. */
  synchronized void closeCircuit(PeerId src, PeerId dst) {
    circuits--;
    circuitsPerPeer.computeIfPresent(src, (k, n) -> n > 1 ? n - 1 : null);
    circuitsPerPeer.computeIfPresent(dst, (k, n) -> n > 1 ? n - 1 : null);
  }

  /** The number of open circuits. */
  synchronized int circuits() {
    return circuits;
  }

  private void purge(Instant now) {
    Iterator<Entry> it = reservations.values().iterator();
    while (it.hasNext()) {
      Entry e = it.next();
      if (!now.isBefore(e.expiration())) {
        it.remove();
        decrementIp(e.ip());
      }
    }
  }

  private void decrementIp(String ip) {
    perIp.computeIfPresent(ip, (k, n) -> n > 1 ? n - 1 : null);
  }
}
