package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A CI-sized simulation on the in-memory transport (the bench {@code KadSimulationBench} runs 500
 * nodes): 100 server nodes, 100 random keys put and got from random nodes, then 20 % of the nodes
 * killed and every record that live nodes still store got again.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KadSimulationTest {

  @Test
  void hundredNodesStoreAndFindEveryRecordAndSurviveLosingAFifth() throws Exception {
    try (KadSimulation sim = new KadSimulation(42)) {
      sim.start(100, 1);
      for (KadDht d : sim.nodes()) {
        // every node knows a good part of the network, not just its bootstrap peer
        assertThat(d.routingTableSize()).isGreaterThanOrEqualTo(10);
      }
      KadSimulation.Outcome puts = sim.put(100, 16);
      assertThat(puts.successRate()).isEqualTo(1.0);
      KadSimulation.Outcome gets = sim.getAll(16);
      assertThat(gets.successRate()).isEqualTo(1.0);
      assertThat(gets.hopsQuantile(0.5)).isLessThanOrEqualTo(3);
      sim.kill(0.2);
      KadSimulation.Outcome after = sim.getStillStored(16);
      assertThat(after.attempted()).isEqualTo(100);
      assertThat(after.successRate()).isEqualTo(1.0);
    }
  }
}
