package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIDontWant;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIHave;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIWant;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.PeerInfo;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/**
 * GRAFT, PRUNE, IHAVE, IWANT and IDONTWANT handling of the {@link GossipRouter}, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#control-messages
 * and the v1.2 IDONTWANT. Not thread-safe; part of the router.
 */
final class ControlHandler {
  private final GossipRouter r;

  ControlHandler(GossipRouter router) {
    this.r = router;
  }

  /** Handles the control part of one RPC and answers with one RPC (IWANT, messages, PRUNE). */
  void handle(PeerId from, GossipRouter.PeerState ps, ControlMessage c) {
    List<ByteString> iwant = ihave(from, ps, c.getIhaveList());
    Map<ByteString, Message> served = iwant(from, c.getIwantList());
    List<ControlPrune> prunes = graft(from, ps, c.getGraftList());
    prune(from, c.getPruneList());
    for (ControlIDontWant d : c.getIdontwantList()) {
      for (ByteString id : d.getMessageIDsList()) {
        ps.dontWant.add(id);
        if (ps.dontWant.size() > r.cfg.maxIdontwantIds()) {
          ps.dontWant.remove(ps.dontWant.iterator().next());
        }
      }
    }
    if (iwant.isEmpty() && served.isEmpty() && prunes.isEmpty()) {
      return;
    }
    RPC.Builder out = RPC.newBuilder().addAllPublish(served.values());
    if (!iwant.isEmpty() || !prunes.isEmpty()) {
      ControlMessage.Builder cb = ControlMessage.newBuilder().addAllPrune(prunes);
      if (!iwant.isEmpty()) {
        cb.addIwant(ControlIWant.newBuilder().addAllMessageIDs(iwant));
      }
      out.setControl(cb);
    }
    r.sink.send(from, out.build());
  }

  private List<ByteString> ihave(PeerId from, GossipRouter.PeerState ps, List<ControlIHave> list) {
    List<ByteString> want = new ArrayList<>();
    if (list.isEmpty() || r.score.score(from) < r.cfg.score().gossipThreshold()) {
      return want;
    }
    // counted per RPC, as go and js do: one heartbeat of a peer carries the IHAVEs of all its
    // topics in one RPC
    if (++ps.ihaveMessages > r.cfg.maxIHaveMessages()) {
      return want;
    }
    Set<ByteString> asked = new LinkedHashSet<>();
    for (ControlIHave h : list) {
      if (!r.subscriptions.contains(h.getTopicID())) {
        continue;
      }
      for (ByteString id : h.getMessageIDsList()) {
        if (ps.idsAsked >= r.cfg.maxIHaveLength()) {
          break;
        }
        if (!r.seen.contains(id) && asked.add(id)) {
          ps.idsAsked++;
        }
      }
    }
    want.addAll(asked);
    r.promises.add(from, want, r.now());
    return want;
  }

  private Map<ByteString, Message> iwant(PeerId from, List<ControlIWant> list) {
    Map<ByteString, Message> out = new LinkedHashMap<>();
    if (list.isEmpty() || r.score.score(from) < r.cfg.score().gossipThreshold()) {
      return out;
    }
    for (ControlIWant w : list) {
      for (ByteString id : w.getMessageIDsList()) {
        if (!out.containsKey(id)) {
          Message m = r.mcache.getForPeer(id, from, r.cfg.gossipRetransmission());
          if (m != null) {
            out.put(id, m);
          }
        }
      }
    }
    return out;
  }

  private List<ControlPrune> graft(
      PeerId from, GossipRouter.PeerState ps, List<ControlGraft> list) {
    List<ControlPrune> prunes = new ArrayList<>();
    long now = r.now();
    long pruneBackoff = r.cfg.pruneBackoff().toMillis();
    for (ControlGraft g : list) {
      String topic = g.getTopicID();
      Set<PeerId> m = r.mesh.get(topic);
      if (m == null) {
        // not subscribed: ignore, as go-libp2p does, without PX (would leak peers)
        continue;
      }
      if (m.contains(from)) {
        continue;
      }
      Map<PeerId, Long> bo = r.backoff.get(topic);
      Long until = bo == null ? null : bo.get(from);
      if (until != null && until > now) {
        // GRAFT during backoff: P7 penalty, doubled when it comes right after our PRUNE
        r.score.penalize(from, 1);
        if (now < until - pruneBackoff + r.cfg.graftFloodThreshold().toMillis()) {
          r.score.penalize(from, 1);
        }
        r.addBackoff(from, topic, pruneBackoff);
        prunes.add(prune(from, topic, pruneBackoff));
        continue;
      }
      // a full mesh still takes outbound peers while fewer than Dout are in it (spec v1.1
      // "Outbound Mesh Quotas"), which keeps it from being filled by inbound sybils
      boolean outboundWanted = ps.outbound && r.heartbeat.countOutbound(m) < r.cfg.dout();
      if (r.score.score(from) < 0 || (m.size() >= r.cfg.dhi() && !outboundWanted)) {
        r.addBackoff(from, topic, pruneBackoff);
        prunes.add(prune(from, topic, pruneBackoff));
        continue;
      }
      m.add(from);
      r.score.graft(from, topic, now);
    }
    return prunes;
  }

  private void prune(PeerId from, List<ControlPrune> list) {
    for (ControlPrune p : list) {
      String topic = p.getTopicID();
      Set<PeerId> m = r.mesh.get(topic);
      if (m == null) {
        // not subscribed: ignore, as go-libp2p does; a backoff entry per unknown topic would let a
        // peer grow the backoff map without bound
        continue;
      }
      if (m.remove(from)) {
        r.score.prune(from, topic);
      }
      long backoff =
          p.hasBackoff()
              ? Math.min(p.getBackoff(), 24 * 3600L) * 1000L
              : r.cfg.pruneBackoff().toMillis();
      r.addBackoff(from, topic, backoff);
      if (r.cfg.doPx()
          && p.getPeersCount() > 0
          && r.score.score(from) >= r.cfg.score().acceptPxThreshold()) {
        for (PeerInfo info : p.getPeersList()) {
          try {
            PeerId px = PeerId.fromBytes(info.getPeerID().toByteArray());
            if (!px.equals(r.self) && !r.peers.containsKey(px)) {
              r.sink.connect(px);
            }
          } catch (IllegalArgumentException e) {
            // a malformed PX entry is skipped; the rest may still be useful
          }
        }
      }
    }
  }

  ControlMessage graft(String topic) {
    return ControlMessage.newBuilder()
        .addGraft(ControlGraft.newBuilder().setTopicID(topic))
        .build();
  }

  /** A PRUNE for {@code peer}, with backoff and PX only for peers speaking meshsub 1.1+. */
  ControlPrune prune(PeerId peer, String topic, long backoffMillis) {
    ControlPrune.Builder b = ControlPrune.newBuilder().setTopicID(topic);
    GossipRouter.PeerState ps = r.peers.get(peer);
    if (ps != null && ps.kind.v11()) {
      b.setBackoff(backoffMillis / 1000);
      if (r.cfg.doPx()) {
        for (PeerId p : r.topics.getOrDefault(topic, Set.of())) {
          if (b.getPeersCount() >= r.cfg.prunePeers()) {
            break;
          }
          if (!p.equals(peer) && r.score.score(p) >= 0) {
            b.addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(p.toBytes())));
          }
        }
      }
    }
    return b.build();
  }
}
