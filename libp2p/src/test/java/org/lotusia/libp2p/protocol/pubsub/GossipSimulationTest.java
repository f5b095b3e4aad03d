package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.bench.GossipSimulation;

/**
 * The network simulation at CI size (the full size is {@code GossipSimulationBench}): 30 nodes on
 * the in-memory transport each dialling 6 others, 150 messages of 1 KiB at 25 per second. Asserts
 * the targets: every message reaches every honest node, p99 within 3 heartbeats plus 3 link
 * delays (measured in the same run as one-hop latency), at most 7 duplicates per delivered message;
 * with nodes killed half-way the live ones still get at least 99.9 %; with spammers, honest
 * delivery stays complete and every spammer is graylisted by each honest neighbour.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GossipSimulationTest {
  private static final GossipSimulation.Params CI =
      new GossipSimulation.Params(
          30, 6, 150, 1024, 25, 0, 0, 20, Duration.ofSeconds(1), Duration.ofSeconds(30), 7);

  @Test
  void everyMessageReachesEveryNodeQuicklyWithFewDuplicates() throws Exception {
    GossipSimulation.Result r = new GossipSimulation(CI).run();
    System.out.print(r.describe());
    assertThat(r.deliveryRate()).isEqualTo(1.0);
    assertThat(r.appDuplicates()).isZero();
    // target: 3 heartbeats plus 3 link delays (measured: one hop, same percentile)
    assertThat(r.p99Millis()).isLessThanOrEqualTo(3 * 1000 + 3 * r.linkDelayP99Millis());
    assertThat(r.duplicatesPerDelivery()).isLessThanOrEqualTo(7.0);
  }

  @Test
  void killingATenthOfTheNodesHalfWayLosesAlmostNothing() throws Exception {
    GossipSimulation.Result r = new GossipSimulation(CI.withKill(0.1)).run();
    System.out.print(r.describe());
    assertThat(r.liveHonestNodes()).isEqualTo(27);
    assertThat(r.deliveryRate()).isGreaterThanOrEqualTo(0.999);
  }

  @Test
  void spammersAreGraylistedAndHonestDeliveryStaysComplete() throws Exception {
    GossipSimulation.Result r = new GossipSimulation(CI.withSpam(0.1)).run();
    System.out.print(r.describe());
    assertThat(r.spammers()).isEqualTo(3);
    assertThat(r.deliveryRate()).isEqualTo(1.0);
    assertThat(r.spammerNeighbourPairs()).isGreaterThan(0);
    assertThat(r.graylistedPairs()).isEqualTo(r.spammerNeighbourPairs());
    assertThat(r.spamGraylistedRpcs()).isGreaterThan(0);
  }
}
