package org.lotusia.p2p.coordinator;

import java.util.List;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.p2p.coordinator.internal.Addresses;
import org.lotusia.p2p.coordinator.internal.NodeRun;
import org.lotusia.p2p.coordinator.internal.TopicService;
import org.lotusia.p2p.security.CoreSecurityManager;

/** Builds {@link P2PStats} and {@link DhtStats} from a run (or its absence). */
final class Stats {

  private Stats() {}

  static DhtStats dht(NodeRun run) {
    if (run == null || run.ctx.dht().isEmpty()) {
      return DhtStats.DISABLED;
    }
    var d = run.ctx.dht().get();
    int size = d.routingTableSize();
    return new DhtStats(true, d.isServerMode() ? "server" : "client", size, size > 0);
  }

  static P2PStats of(
      NodeRun run, ConnectionState state, int localResources, CoreSecurityManager security, long dropped) {
    if (run == null) {
      return new P2PStats(
          "not-started",
          state,
          new P2PStats.Peers(0, 0),
          DhtStats.DISABLED,
          localResources,
          List.of(),
          List.of(),
          new P2PStats.Messages(0, 0, 0, 0),
          new P2PStats.Topics(0, 0, 0),
          security.getMetrics(),
          dropped);
    }
    TopicService.TopicCounters t =
        run.topics.map(TopicService::counters).orElse(new TopicService.TopicCounters(0, 0, 0));
    return new P2PStats(
        run.ctx.selfId(),
        state,
        new P2PStats.Peers(
            Math.max(run.peers.knownCount(), run.ctx.host().connectedPeers().size()),
            run.ctx.host().connectedPeers().size()),
        dht(run),
        localResources,
        run.ctx.host().listenAddresses().stream().map(Multiaddr::toString).toList(),
        Addresses.relay(run.ctx.host()),
        new P2PStats.Messages(
            run.messages.received(),
            run.messages.sent(),
            run.messages.refusedBusy(),
            run.messages.openChannels()),
        new P2PStats.Topics(t.delivered(), t.refused(), t.dropped()),
        security.getMetrics(),
        dropped);
  }
}
