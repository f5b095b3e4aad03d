package org.lotusia.libp2p.protocol.pubsub;

import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/** The per-RPC limits of {@link GossipSubConfig}: an RPC over any of them is refused whole. */
final class RpcLimits {
  private RpcLimits() {}

  /** What {@code rpc} exceeds, or null when it is within every limit. */
  static String violation(GossipSubConfig cfg, RPC rpc) {
    if (rpc.getSubscriptionsCount() > cfg.maxTopicsPerRpc()) {
      return rpc.getSubscriptionsCount() + " subscriptions, limit " + cfg.maxTopicsPerRpc();
    }
    if (rpc.getPublishCount() > cfg.maxMessagesPerRpc()) {
      return rpc.getPublishCount() + " messages, limit " + cfg.maxMessagesPerRpc();
    }
    if (!rpc.hasControl()) {
      return null;
    }
    ControlMessage c = rpc.getControl();
    int entries =
        c.getIhaveCount()
            + c.getIwantCount()
            + c.getGraftCount()
            + c.getPruneCount()
            + c.getIdontwantCount();
    if (entries > cfg.maxControlEntries()) {
      return entries + " control entries, limit " + cfg.maxControlEntries();
    }
    long ihave = c.getIhaveList().stream().mapToLong(h -> h.getMessageIDsCount()).sum();
    if (ihave > cfg.maxIHaveIdsPerRpc()) {
      return ihave + " IHAVE ids, limit " + cfg.maxIHaveIdsPerRpc();
    }
    long iwant = c.getIwantList().stream().mapToLong(h -> h.getMessageIDsCount()).sum();
    iwant += c.getIdontwantList().stream().mapToLong(h -> h.getMessageIDsCount()).sum();
    if (iwant > cfg.maxIWantIdsPerRpc()) {
      return iwant + " IWANT/IDONTWANT ids, limit " + cfg.maxIWantIdsPerRpc();
    }
    for (ControlPrune p : c.getPruneList()) {
      if (p.getPeersCount() > cfg.prunePeers()) {
        return p.getPeersCount() + " PX peers, limit " + cfg.prunePeers();
      }
    }
    return null;
  }
}
