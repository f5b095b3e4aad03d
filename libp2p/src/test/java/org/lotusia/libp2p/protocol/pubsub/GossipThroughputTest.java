package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.bench.GossipThroughput;

/**
 * One node's throughput at CI size (the full size is {@code GossipThroughputBench}): 2,000 signed
 * messages fed by 4 peers are each verified, delivered once and forwarded to all 6 mesh peers, and
 * nothing is dropped while the feeders keep a window outstanding.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GossipThroughputTest {

  @Test
  void everyMessageIsVerifiedDeliveredAndForwardedToTheWholeMesh() throws Exception {
    // Each receiver's queue holds the whole run: a receiver starved of CPU on a loaded machine must
    // not turn a throughput test into a test of the slow-peer drop (PeerWriterTest covers it).
    GossipSubConfig node =
        GossipSubConfig.builder().validation(2, 4096, 2).outboundQueueSize(2000).build();
    GossipThroughput.Result r =
        GossipThroughput.run(new GossipThroughput.Params(2000, 1024, 4, 6, 256, node));
    System.out.print(r.describe());
    assertThat(r.node().delivered()).isEqualTo(2000);
    assertThat(r.node().invalid()).isZero();
    assertThat(r.minReceived()).isEqualTo(2000);
    assertThat(r.forwardedCopies()).isEqualTo(6 * 2000);
    assertThat(r.node().droppedInboundRpcs() + r.node().validationDropped()).isZero();
    assertThat(r.node().droppedOutboundRpcs()).isZero();
    assertThat(r.validatedPerSecond()).isPositive();
  }
}
