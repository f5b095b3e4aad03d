package org.lotusia.libp2p.protocol.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.lotusia.libp2p.PeerId;

/**
 * AutoRelay's memory of reservation attempts, free of I/O: which relays have an attempt under way,
 * when a failing relay may be tried again (exponential backoff between a minimum and a maximum),
 * and when each reservation was obtained (to place its renewal).
 *
 * <p>Not thread-safe: confined to AutoRelay's scheduler thread. Bounded: it holds entries only for
 * relays AutoRelay tried, at most the static relays plus the connected peers.
 */
final class RelayAttempts {

  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Set<PeerId> inFlight = new HashSet<>();
  private final Map<PeerId, Integer> failures = new HashMap<>();
  private final Map<PeerId, Instant> retryAt = new HashMap<>();
  private final Map<PeerId, Instant> obtainedAt = new HashMap<>();

  RelayAttempts(Duration minBackoff, Duration maxBackoff) {
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** Whether an attempt on {@code relay} may start now. */
  boolean ready(PeerId relay, Instant now) {
    if (inFlight.contains(relay)) {
      return false;
    }
    Instant at = retryAt.get(relay);
    return at == null || !now.isBefore(at);
  }

  boolean inFlight(PeerId relay) {
    return inFlight.contains(relay);
  }

  void started(PeerId relay) {
    inFlight.add(relay);
  }

  void succeeded(PeerId relay, Instant now) {
    inFlight.remove(relay);
    failures.remove(relay);
    retryAt.remove(relay);
    obtainedAt.put(relay, now);
  }

  /** Records a failure; the next attempt waits min * 2^(failures-1), at most max. */
  void failed(PeerId relay, Instant now) {
    inFlight.remove(relay);
    int n = failures.merge(relay, 1, Integer::sum);
    Duration wait = minBackoff.multipliedBy(1L << Math.min(n - 1, 30));
    if (wait.compareTo(maxBackoff) > 0 || wait.isNegative()) {
      wait = maxBackoff;
    }
    retryAt.put(relay, now.plus(wait));
  }

  /** When the next attempt on {@code relay} may start, if it is backing off. */
  Instant retryAt(PeerId relay) {
    return retryAt.get(relay);
  }

  /**
   * Whether a reservation obtained on {@code relay} and expiring at {@code expiration} should be
   * renewed now: {@code renewBefore} ahead of the expiration, or at half its lifetime when it is
   * shorter than twice that margin.
   */
  boolean renewalDue(PeerId relay, Instant expiration, Duration renewBefore, Instant now) {
    Instant obtained = obtainedAt.getOrDefault(relay, now);
    Duration lifetime = Duration.between(obtained, expiration);
    Duration margin =
        lifetime.compareTo(renewBefore.multipliedBy(2)) < 0 ? lifetime.dividedBy(2) : renewBefore;
    return !now.isBefore(expiration.minus(margin));
  }

  /** Forgets everything about {@code relay} but a backoff under way. */
  void forget(PeerId relay) {
    obtainedAt.remove(relay);
  }
}
