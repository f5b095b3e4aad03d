package org.lotusia.p2p.coordinator;

import java.time.Duration;
import java.util.Objects;
import org.lotusia.libp2p.Multiaddr;

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

  static void multiaddr(String address, String option, boolean needsPeerId) {
    if (address == null) {
      throw new IllegalArgumentException(option + " contains null");
    }
    Multiaddr m;
    try {
      m = Multiaddr.parse(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          option + ": '" + address + "' is not a valid multiaddr: " + e.getMessage(), e);
    }
    if (needsPeerId && m.peerId().isEmpty()) {
      throw new IllegalArgumentException(option + ": '" + address + "' must end in /p2p/<peer ID>");
    }
  }
}
