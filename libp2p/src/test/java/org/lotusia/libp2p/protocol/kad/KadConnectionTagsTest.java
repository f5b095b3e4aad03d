package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.stack.SecureChannels;
import org.lotusia.libp2p.stack.Transports;

/**
 * Routing-table peers carry the DHT's tag, so the host's connection trimmer closes connections the
 * DHT does not need (opened only for a query, or by other protocols) before theirs, and the tag goes
 * when the DHT closes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KadConnectionTagsTest {
  private final KadTestNet net = new KadTestNet(b -> b);
  private final List<Host> own = new ArrayList<>();

  @AfterEach
  void close() {
    net.close();
    own.forEach(h -> join(h.closeAsync()));
  }

  /** A host that trims to one connection when it has more than two. */
  private Host tightHost() {
    Host h =
        new HostBuilder()
            .transports(Transports.memory())
            .security(SecureChannels.plaintext())
            .listen("/ip4/127.0.0.1/tcp/0")
            .eventLoopThreads(1)
            .connectionLimits(16, 2, 1)
            .build();
    join(h.start());
    own.add(h);
    return h;
  }

  @Test
  void theTrimmerKeepsTheRoutingTablePeerAndClosesTheOthersFirst() {
    Host tight = tightHost();
    KadDht dht = net.dht(tight);
    // the oldest connection: a DHT server that enters the routing table
    KadDht member = net.node();
    join(tight.dial(member.host().listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> dht.routingTableSize() == 1);
    // then two peers the DHT does not keep (no DHT protocol); the third connection trims to one
    Host other = net.host();
    join(tight.dial(other.listenAddresses().get(0)));
    Host third = net.host();
    join(tight.dial(third.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> tight.connections().size() == 1);
    // without the tag the oldest idle connection (the member's) would have gone first
    assertThat(tight.connections().get(0).remotePeer()).isEqualTo(member.host().peerId());

    // once the DHT closed, the member is an ordinary peer: the oldest idle one goes first
    dht.close();
    Host fourth = net.host();
    join(tight.dial(fourth.listenAddresses().get(0)));
    Host fifth = net.host();
    join(tight.dial(fifth.listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                tight.connections().stream()
                    .noneMatch(c -> c.remotePeer().equals(member.host().peerId())));
  }
}
