package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIDontWant;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIHave;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIWant;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRAFT, PRUNE, IHAVE, IWANT and IDONTWANT handling, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#control-messages
 * and the v1.2 IDONTWANT. It reads and changes the state of the collaborators it is given (peers,
 * overlay, score, caches) only through their methods and keeps none of its own. Not thread-safe;
 * part of the router.
 */
final class ControlHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);

  private final GossipSubConfig cfg;
  private final PeerTable peers;
  private final MeshState overlay;
  private final PeerScore score;
  private final MessageCache mcache;
  private final GossipPromises promises;
  private final PeerExchange exchange;
  private final Predicate<ByteString> known;
  private final LongSupplier clock;
  private final RouterSink sink;

  ControlHandler(
      GossipSubConfig cfg,
      PeerTable peers,
      MeshState overlay,
      PeerScore score,
      MessageCache mcache,
      GossipPromises promises,
      PeerExchange exchange,
      Predicate<ByteString> known,
      LongSupplier clock,
      RouterSink sink) {
    this.cfg = cfg;
    this.peers = peers;
    this.overlay = overlay;
    this.score = score;
    this.mcache = mcache;
    this.promises = promises;
    this.exchange = exchange;
    this.known = known;
    this.clock = clock;
    this.sink = sink;
  }

  /** Handles the control part of one RPC and answers with IWANT, messages and PRUNEs. */
  void handle(PeerId from, PeerState ps, ControlMessage c) {
    List<ByteString> iwant = ihave(from, ps, c.getIhaveList());
    Map<ByteString, Message> served = iwant(from, c.getIwantList());
    List<ControlPrune> prunes = graft(from, ps, c.getGraftList());
    prune(from, c.getPruneList());
    for (ControlIDontWant d : c.getIdontwantList()) {
      for (ByteString id : d.getMessageIDsList()) {
        ps.dontWant(id, cfg.maxIdontwantIds());
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
    sink.send(from, out.build());
  }

  private List<ByteString> ihave(PeerId from, PeerState ps, List<ControlIHave> list) {
    List<ByteString> want = new ArrayList<>();
    if (list.isEmpty() || score.score(from) < cfg.score().gossipThreshold()) {
      return want;
    }
    // counted per RPC, as go and js do: one heartbeat of a peer carries the IHAVEs of all its
    // topics in one RPC
    if (!ps.takeIhaveRpc(cfg.maxIHaveMessages())) {
      return want;
    }
    Set<ByteString> asked = new LinkedHashSet<>();
    for (ControlIHave h : list) {
      if (!overlay.subscribed(h.getTopicID())) {
        continue;
      }
      for (ByteString id : h.getMessageIDsList()) {
        if (known.test(id) || asked.contains(id)) {
          continue;
        }
        if (!ps.takeAskedId(cfg.maxIHaveLength())) {
          break;
        }
        asked.add(id);
      }
    }
    want.addAll(asked);
    promises.add(from, want, clock.getAsLong());
    return want;
  }

  private Map<ByteString, Message> iwant(PeerId from, List<ControlIWant> list) {
    Map<ByteString, Message> out = new LinkedHashMap<>();
    if (list.isEmpty() || score.score(from) < cfg.score().gossipThreshold()) {
      return out;
    }
    for (ControlIWant w : list) {
      for (ByteString id : w.getMessageIDsList()) {
        if (!out.containsKey(id)) {
          Message m = mcache.getForPeer(id, from, cfg.gossipRetransmission());
          if (m != null) {
            out.put(id, m);
          }
        }
      }
    }
    return out;
  }

  private List<ControlPrune> graft(PeerId from, PeerState ps, List<ControlGraft> list) {
    List<ControlPrune> prunes = new ArrayList<>();
    long now = clock.getAsLong();
    long pruneBackoff = cfg.pruneBackoff().toMillis();
    for (ControlGraft g : list) {
      String topic = g.getTopicID();
      if (!overlay.subscribed(topic)) {
        // not subscribed: ignore, as go-libp2p does, without PX (would leak peers)
        continue;
      }
      if (overlay.inMesh(topic, from)) {
        continue;
      }
      if (ps.direct()) {
        // spec v1.1 "Explicit Peering Agreements": direct peers live outside the mesh
        LOG.warn("GRAFT from direct peer {} on {}; answering PRUNE", from, topic);
        overlay.backoff(topic, from, now + pruneBackoff);
        prunes.add(exchange.prune(from, topic, pruneBackoff));
        continue;
      }
      long until = overlay.backoffUntil(topic, from);
      if (until > now) {
        // GRAFT during backoff: P7 penalty, doubled when it comes right after our PRUNE
        score.penalize(from, 1);
        if (now < until - pruneBackoff + cfg.graftFloodThreshold().toMillis()) {
          score.penalize(from, 1);
        }
        overlay.backoff(topic, from, now + pruneBackoff);
        prunes.add(exchange.prune(from, topic, pruneBackoff));
        continue;
      }
      // a full mesh still takes outbound peers while fewer than Dout are in it (spec v1.1
      // "Outbound Mesh Quotas"), which keeps it from being filled by inbound sybils
      Set<PeerId> mesh = overlay.mesh(topic);
      boolean outboundWanted = ps.outbound() && peers.countOutbound(mesh) < cfg.dout();
      if (score.score(from) < 0 || (mesh.size() >= cfg.dhi() && !outboundWanted)) {
        overlay.backoff(topic, from, now + pruneBackoff);
        prunes.add(exchange.prune(from, topic, pruneBackoff));
        continue;
      }
      overlay.graft(topic, from);
      score.graft(from, topic, now);
    }
    return prunes;
  }

  private void prune(PeerId from, List<ControlPrune> list) {
    long now = clock.getAsLong();
    for (ControlPrune p : list) {
      String topic = p.getTopicID();
      if (!overlay.subscribed(topic)) {
        // not subscribed: ignore, as go-libp2p does; a backoff entry per unknown topic would let a
        // peer grow the backoff map without bound
        continue;
      }
      if (overlay.prune(topic, from)) {
        score.prune(from, topic);
      }
      long backoff =
          p.hasBackoff()
              ? Math.min(p.getBackoff(), 24 * 3600L) * 1000L
              : cfg.pruneBackoff().toMillis();
      overlay.backoff(topic, from, now + backoff);
      exchange.received(from, p);
    }
  }
}
