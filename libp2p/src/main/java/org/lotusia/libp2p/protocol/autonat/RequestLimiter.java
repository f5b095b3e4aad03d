package org.lotusia.libp2p.protocol.autonat;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.lotusia.libp2p.PeerId;

/**
 * The request limits of an {@link AutoNatServer}: per peer and in total per window (sliding, on the
 * injected clock), and the number served at once. Memory is bounded by the total limit: only
 * requests within the window are remembered.
 *
 * <p>Thread-safe (synchronized).
 */
final class RequestLimiter {

  private final AutoNatServerConfig config;
  private final Clock clock;
  private final ArrayDeque<Instant> all = new ArrayDeque<>();
  private final Map<PeerId, ArrayDeque<Instant>> perPeer = new HashMap<>();
  private int running;

  RequestLimiter(AutoNatServerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Takes a slot for a request of {@code peer}, or returns why it is refused. */
  synchronized String acquire(PeerId peer) {
    Instant now = clock.instant();
    Instant cut = now.minus(config.rateWindow());
    while (!all.isEmpty() && !all.peekFirst().isAfter(cut)) {
      all.pollFirst();
    }
    for (Iterator<ArrayDeque<Instant>> it = perPeer.values().iterator(); it.hasNext(); ) {
      ArrayDeque<Instant> q = it.next();
      while (!q.isEmpty() && !q.peekFirst().isAfter(cut)) {
        q.pollFirst();
      }
      if (q.isEmpty()) {
        it.remove();
      }
    }
    if (running >= config.maxConcurrent()) {
      return "too many requests in progress (" + running + ")";
    }
    if (all.size() >= config.maxRequests()) {
      return "server request limit of " + config.maxRequests() + " per " + config.rateWindow();
    }
    ArrayDeque<Instant> mine = perPeer.computeIfAbsent(peer, p -> new ArrayDeque<>());
    if (mine.size() >= config.maxRequestsPerPeer()) {
      return "peer request limit of " + config.maxRequestsPerPeer() + " per " + config.rateWindow();
    }
    mine.addLast(now);
    all.addLast(now);
    running++;
    return null;
  }

  /** Frees the slot taken by a successful {@link #acquire}. */
  synchronized void release() {
    running--;
  }
}
