package org.lotusia.libp2p.protocol.pubsub;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the application-specific score (P5) off the router thread: once per heartbeat the
 * router's peers are handed to the callback executor, the user's function is called for each, and
 * the values go back to the router thread. At most one refresh is under way; a heartbeat that finds
 * one still running skips its turn, so a slow function costs staleness, not queued work.
 *
 * <p>Threading: {@link #refresh} runs on the router thread; the function runs on the callback
 * executor.
 */
final class AppScores {
  private static final Logger LOG = LoggerFactory.getLogger(AppScores.class);

  private final ToDoubleFunction<PeerId> function;
  private final Callbacks callbacks;
  private final PeerStreams.Service service;
  private volatile boolean running;

  AppScores(ToDoubleFunction<PeerId> function, Callbacks callbacks, PeerStreams.Service service) {
    this.function = function;
    this.callbacks = callbacks;
    this.service = service;
  }

  /** Starts a refresh for {@code peers} unless one is under way. Router thread. */
  void refresh(List<PeerId> peers) {
    if (running || peers.isEmpty()) {
      return;
    }
    running = true;
    boolean submitted =
        callbacks.submit(
            () -> {
              Map<PeerId, Double> values = new HashMap<>();
              for (PeerId p : peers) {
                values.put(p, valueOf(p));
              }
              if (!service.run(() -> applied(values))) {
                running = false; // closed; nothing reads it any more
              }
            });
    if (!submitted) {
      running = false;
    }
  }

  private void applied(Map<PeerId, Double> values) {
    running = false;
    values.forEach((p, v) -> service.router().setAppScore(p, v));
  }

  private double valueOf(PeerId p) {
    try {
      double v = function.applyAsDouble(p);
      return Double.isFinite(v) ? v : 0;
    } catch (RuntimeException e) {
      LOG.warn("application score function threw for {}; using 0", p, e);
      return 0;
    }
  }
}
