package org.lotusia.p2p.coordinator.internal;

import java.util.concurrent.ThreadLocalRandom;
import org.lotusia.p2p.coordinator.BootstrapConfig;

/** The redial delay of {@link BootstrapConfig}: exponential, capped, with jitter. */
final class Backoff {

  private Backoff() {}

  /**
   * The delay before the next dial.
   *
   * @param cfg the settings
   * @param failures dials that failed in a row so far
   * @return {@code min(base * 2^failures, max)} varied by {@code ±jitter/2}, in milliseconds
   */
  static long delayMillis(BootstrapConfig cfg, int failures) {
    long base =
        Math.min(
            cfg.reconnectMaxDelay().toMillis(),
            cfg.reconnectBaseDelay().toMillis() << Math.min(failures, 30));
    double spread = base * cfg.reconnectJitter() * (ThreadLocalRandom.current().nextDouble() - 0.5);
    return Math.max(0, Math.round(base + spread));
  }
}
