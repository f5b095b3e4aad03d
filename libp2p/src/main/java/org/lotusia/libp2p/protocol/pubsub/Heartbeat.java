package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIHave;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/**
 * The heartbeat of the router, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#heartbeat: score
 * decay, mesh maintenance (negative scores out, graft below Dlo, prune above Dhi keeping Dscore
 * best and Dout outbound, outbound quota), fanout expiry and top-up, IHAVE gossip to at least Dlazy
 * non-mesh peers, and the message cache shift. Control messages of one heartbeat go to each peer in
 * a single RPC. Every {@value #OPPORTUNISTIC_GRAFT_TICKS} heartbeats, a mesh whose median score is
 * below the opportunistic graft threshold grafts up to {@value #OPPORTUNISTIC_GRAFT_PEERS} peers
 * scoring above the median. IWANT promises broken by then cost one P7 point each. Direct peers are
 * never grafted and get no gossip (they get every message). Keeps only its tick count and the
 * control messages of the heartbeat under way; everything else belongs to the collaborators. Not
 * thread-safe; part of the router.
 */
final class Heartbeat {
  /** Heartbeats between opportunistic grafting rounds (spec default). */
  static final int OPPORTUNISTIC_GRAFT_TICKS = 60;

  /** Peers grafted per topic per opportunistic round (spec default). */
  static final int OPPORTUNISTIC_GRAFT_PEERS = 2;

  private final GossipSubConfig cfg;
  private final PeerTable peers;
  private final MeshState overlay;
  private final PeerScore score;
  private final MessageCache mcache;
  private final SeenCache seen;
  private final GossipPromises promises;
  private final PeerExchange exchange;
  private final Random random;
  private final RouterSink sink;
  private long ticks;
  private Map<PeerId, ControlMessage.Builder> pending;
  private long now;

  Heartbeat(
      GossipSubConfig cfg,
      PeerTable peers,
      MeshState overlay,
      PeerScore score,
      MessageCache mcache,
      SeenCache seen,
      GossipPromises promises,
      PeerExchange exchange,
      Random random,
      RouterSink sink) {
    this.cfg = cfg;
    this.peers = peers;
    this.overlay = overlay;
    this.score = score;
    this.mcache = mcache;
    this.seen = seen;
    this.promises = promises;
    this.exchange = exchange;
    this.random = random;
    this.sink = sink;
  }

  /**
   * Topic peers eligible for a mesh or fanout, shuffled: gossip capable, not direct, not in {@code
   * exclude}, score at least 0 (publish threshold for fanout), and not in backoff (mesh only).
   */
  List<PeerId> candidates(String topic, Set<PeerId> exclude, boolean forFanout, long now) {
    List<PeerId> out = new ArrayList<>();
    for (PeerId p : peers.inTopic(topic)) {
      PeerState ps = peers.get(p);
      if (ps == null || !ps.kind().gossip() || ps.direct() || exclude.contains(p)) {
        continue;
      }
      double s = score.score(p);
      if (forFanout
          ? s >= cfg.score().publishThreshold()
          : s >= 0 && !overlay.inBackoff(topic, p, now)) {
        out.add(p);
      }
    }
    Collections.shuffle(out, random);
    return out;
  }

  private ControlMessage.Builder pending(PeerId p) {
    return pending.computeIfAbsent(p, x -> ControlMessage.newBuilder());
  }

  void run(long now) {
    this.now = now;
    pending = new LinkedHashMap<>();
    score.refresh(now);
    promises.expire(now).forEach(score::penalize);
    peers.newHeartbeat();
    overlay.expireBackoff(now);
    boolean opportunistic = ++ticks % OPPORTUNISTIC_GRAFT_TICKS == 0;
    for (String topic : List.copyOf(overlay.topics())) {
      maintainMesh(topic);
      if (opportunistic) {
        opportunisticGraft(topic);
      }
      emitGossip(topic, overlay.mesh(topic));
    }
    for (Map.Entry<String, Set<PeerId>> e :
        overlay.liveFanouts(now, cfg.fanoutTtl().toMillis()).entrySet()) {
      String topic = e.getKey();
      Set<PeerId> f = e.getValue();
      Set<PeerId> inTopic = peers.inTopic(topic);
      f.removeIf(p -> !inTopic.contains(p) || score.score(p) < cfg.score().publishThreshold());
      for (PeerId p : candidates(topic, f, true, now)) {
        if (f.size() >= cfg.d()) {
          break;
        }
        f.add(p);
      }
      emitGossip(topic, f);
    }
    for (Map.Entry<PeerId, ControlMessage.Builder> e : pending.entrySet()) {
      sink.send(e.getKey(), RPC.newBuilder().setControl(e.getValue()).build());
    }
    pending = null;
    mcache.shift();
    seen.prune(now);
  }

  private void graft(String topic, PeerId p) {
    overlay.graft(topic, p);
    score.graft(p, topic, now);
    pending(p).addGraft(ControlGraft.newBuilder().setTopicID(topic));
  }

  private void prune(String topic, PeerId p) {
    long bo = cfg.pruneBackoff().toMillis();
    overlay.prune(topic, p);
    score.prune(p, topic);
    overlay.backoff(topic, p, now + bo);
    pending(p).addPrune(exchange.prune(p, topic, bo));
  }

  private void maintainMesh(String topic) {
    for (PeerId p : List.copyOf(overlay.mesh(topic))) {
      if (score.score(p) < 0) {
        prune(topic, p);
      }
    }
    if (overlay.mesh(topic).size() < cfg.dlo()) {
      for (PeerId p : candidates(topic, overlay.mesh(topic), false, now)) {
        if (overlay.mesh(topic).size() >= cfg.d()) {
          break;
        }
        graft(topic, p);
      }
    }
    if (overlay.mesh(topic).size() > cfg.dhi()) {
      shrink(topic);
    }
    Set<PeerId> mesh = overlay.mesh(topic);
    if (mesh.size() >= cfg.dlo()) {
      int outbound = peers.countOutbound(mesh);
      if (outbound < cfg.dout()) {
        for (PeerId p : candidates(topic, mesh, false, now)) {
          if (outbound >= cfg.dout()) {
            break;
          }
          if (peers.outbound(p)) {
            graft(topic, p);
            outbound++;
          }
        }
      }
    }
  }

  private void opportunisticGraft(String topic) {
    Set<PeerId> mesh = overlay.mesh(topic);
    if (mesh.size() < 2) {
      return;
    }
    List<Double> scores = new ArrayList<>();
    for (PeerId p : mesh) {
      scores.add(score.score(p));
    }
    Collections.sort(scores);
    double median = scores.get(scores.size() / 2);
    if (median >= cfg.score().opportunisticGraftThreshold()) {
      return;
    }
    int grafted = 0;
    for (PeerId p : candidates(topic, mesh, false, now)) {
      if (grafted >= OPPORTUNISTIC_GRAFT_PEERS) {
        break;
      }
      if (score.score(p) > median) {
        graft(topic, p);
        grafted++;
      }
    }
  }

  /** Keeps the Dscore best, fills to D at random, makes sure Dout of them are outbound. */
  private void shrink(String topic) {
    Map<PeerId, Double> scores = new HashMap<>();
    for (PeerId p : overlay.mesh(topic)) {
      scores.put(p, score.score(p));
    }
    List<PeerId> all = new ArrayList<>(scores.keySet());
    Collections.shuffle(all, random);
    all.sort(Comparator.comparingDouble((PeerId p) -> scores.get(p)).reversed());
    List<PeerId> keep = new ArrayList<>(all.subList(0, cfg.dscore()));
    List<PeerId> rest = new ArrayList<>(all.subList(cfg.dscore(), all.size()));
    Collections.shuffle(rest, random);
    while (keep.size() < cfg.d() && !rest.isEmpty()) {
      keep.add(rest.remove(0));
    }
    // swap outbound peers from the pruned rest for inbound ones in keep until Dout are kept
    int outbound = peers.countOutbound(Set.copyOf(keep));
    for (PeerId p : List.copyOf(rest)) {
      if (outbound >= cfg.dout()) {
        break;
      }
      if (!peers.outbound(p)) {
        continue;
      }
      for (int i = keep.size() - 1; i >= 0; i--) {
        if (!peers.outbound(keep.get(i))) {
          keep.set(i, p);
          outbound++;
          break;
        }
      }
    }
    for (PeerId p : all) {
      if (!keep.contains(p)) {
        prune(topic, p);
      }
    }
  }

  private void emitGossip(String topic, Set<PeerId> exclude) {
    List<ByteString> ids = mcache.gossipIds(topic);
    if (ids.isEmpty()) {
      return;
    }
    if (ids.size() > cfg.maxIHaveLength()) {
      Collections.shuffle(ids, random);
      ids = ids.subList(0, cfg.maxIHaveLength());
    }
    List<PeerId> eligible = new ArrayList<>();
    for (PeerId p : peers.inTopic(topic)) {
      PeerState ps = peers.get(p);
      if (ps != null
          && ps.kind().gossip()
          && !ps.direct()
          && !exclude.contains(p)
          && score.score(p) >= cfg.score().gossipThreshold()) {
        eligible.add(p);
      }
    }
    int n = Math.max(cfg.dlazy(), (int) (cfg.gossipFactor() * eligible.size()));
    Collections.shuffle(eligible, random);
    ControlIHave ihave = ControlIHave.newBuilder().setTopicID(topic).addAllMessageIDs(ids).build();
    for (PeerId p : eligible.subList(0, Math.min(n, eligible.size()))) {
      pending(p).addIhave(ihave);
    }
  }
}
