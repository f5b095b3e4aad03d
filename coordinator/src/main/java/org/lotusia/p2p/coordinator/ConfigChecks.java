package org.lotusia.p2p.coordinator;

import java.time.Duration;
import java.util.Objects;

/** Checks of configuration values whose messages name the option. */
final class ConfigChecks {

  private ConfigChecks() {}

  static Duration positive(Duration d, String option) {
    Objects.requireNonNull(d, option);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(option + " must be positive, got " + d);
    }
    return d;
  }

  static int atLeast(int v, int min, String option) {
    if (v < min) {
      throw new IllegalArgumentException(option + " must be at least " + min + ", got " + v);
    }
    return v;
  }
}
