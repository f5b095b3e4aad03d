package org.lotusia.libp2p.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real NATs in Linux network namespaces (see {@link NatScenario}): nodes behind NAT get a private
 * verdict from AutoNAT, reserve on a public relay, are reached through {@code /p2p-circuit}, and
 * DCUtR upgrades to a direct connection through both endpoint-independent NATs in every run;
 * through a symmetric NAT the upgrade fails cleanly and the relay keeps carrying the streams.
 *
 * <p>Skipped, with the reason, where namespaces cannot be made (not root, no iproute2 or
 * nftables), except in CI ({@code CI=true}), where that is a failure. The 20-run measurement is
 * {@code bench/NatTraversalBench}.
 */
class NatTraversalLabTest {

  static void requireLab() {
    Optional<String> why = NetLab.unavailable();
    if (why.isPresent() && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("the NAT lab must run in CI: " + why.get());
    }
    Assumptions.assumeTrue(why.isEmpty(), () -> "NAT lab skipped: " + why.orElse(""));
  }

  @Test
  @Timeout(600)
  void holePunchingThroughNatsAndRelayFallbackThroughASymmetricNat() throws Exception {
    requireLab();
    try (NatScenario scenario = new NatScenario()) {
      for (int i = 0; i < 3; i++) {
        NatScenario.Outcome o = scenario.run(i, false);
        assertThat(o.privateVerdicts()).isTrue();
        assertThat(o.direct()).as("run %d: %s", i, o.detail()).isTrue();
        assertThat(o.echo()).as(o.detail()).isEqualTo("echo hello relayed=false");
      }
      NatScenario.Outcome sym = scenario.run(3, true);
      assertThat(sym.privateVerdicts()).isTrue();
      assertThat(sym.direct()).as(sym.detail()).isFalse();
      assertThat(sym.attempts()).isEqualTo(3);
      assertThat(sym.echo()).isEqualTo("echo hello relayed=true");
    }
  }
}
