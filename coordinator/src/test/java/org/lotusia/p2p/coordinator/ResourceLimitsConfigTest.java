package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.ResourceLimits;

/**
 * {@link P2PConfig#resourceLimits()} reaches the coordinator's host: the defaults are the host's,
 * and a configured inbound rate refuses raw sockets from one address on the wire.
 */
class ResourceLimitsConfigTest {

  private final TestNodes nodes = new TestNodes();
  private final List<Socket> sockets = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    nodes.close();
  }

  @Test
  void defaultsAreTheHostDefaultsAndSurviveToBuilder() {
    assertThat(P2PConfig.defaults().resourceLimits()).isEqualTo(ResourceLimits.DEFAULT);
    ResourceLimits mine = ResourceLimits.builder().maxConnectionsPerPeer(3).build();
    P2PConfig c = P2PConfig.builder().resourceLimits(mine).build();
    assertThat(c.toBuilder().build().resourceLimits()).isEqualTo(mine);
  }

  @Test
  void configuredLimitsApplyToTheNodesHost() throws Exception {
    P2PCoordinator node =
        nodes.start(
            b -> b.resourceLimits(ResourceLimits.builder().inboundRatePerIp(2, 0.001).build()));
    Host host = node.networkComponents().orElseThrow().host();
    Multiaddr addr = host.listenAddresses().get(0);
    String[] parts = addr.toString().split("/");
    for (int i = 0; i < 5; i++) {
      Socket s = new Socket();
      sockets.add(s);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      s.connect(new InetSocketAddress(parts[2], Integer.parseInt(parts[4])), 10_000);
    }
    await().atMost(TestNodes.WAIT).until(() -> host.stats().refusals().inboundRate() == 3);
    // a refused socket was closed by the node
    sockets.get(4).setSoTimeout(30_000);
    InputStream in = sockets.get(4).getInputStream();
    assertThat(in.read()).isEqualTo(-1);
  }
}
