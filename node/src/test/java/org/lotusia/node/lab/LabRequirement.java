package org.lotusia.node.lab;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.lotusia.libp2p.netlab.NetLab;

/** Whether the network lab can run here: a skip with the reason, or a failure in CI. */
final class LabRequirement {

  private LabRequirement() {}

  /**
   * Skips the calling test, saying why, where network namespaces cannot be made (not root, no
   * iproute2 or nftables); in CI ({@code CI=true}) that is a failure instead, since CI installs
   * the tools and runs as root.
   */
  static void require() {
    Optional<String> why = NetLab.unavailable();
    if (why.isPresent() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("the network lab must run in CI: " + why.get());
    }
    Assumptions.assumeTrue(why.isEmpty(), () -> "network lab skipped: " + why.orElse(""));
  }
}
