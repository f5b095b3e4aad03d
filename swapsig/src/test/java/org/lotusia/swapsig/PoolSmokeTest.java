package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.PoolAnnouncement;

class PoolSmokeTest {

  @Test
  void threeParticipantsComplete() throws Exception {
    try (PoolHarness h = PoolHarness.start(3, Duration.ofMillis(300))) {
      long t0 = System.currentTimeMillis();
      for (PoolHarness.Peer p : h.participants) {
        p.swaps.addListener(e -> System.out.println((System.currentTimeMillis() - t0) + " " + p.peerId + " " + e));
      }
      h.creator.swaps.addListener(e -> System.out.println((System.currentTimeMillis() - t0) + " creator " + e));
      PoolAnnouncement pool = h.createPool(PoolHarness.params(3).build());
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, Duration.ofSeconds(90));
      for (SwapOutcome o : out) {
        assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED);
      }
      for (PoolHarness.Peer p : h.participants) {
        assertThat(h.balance(p.destination)).isEqualTo(pool.params().payoutAmount());
      }
    }
  }
}
