package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIHave;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/**
 * The heartbeat of the {@link GossipRouter}, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#heartbeat: score
 * decay, mesh maintenance (negative scores out, graft below Dlo, prune above Dhi keeping Dscore
 * best and Dout outbound, outbound quota), fanout expiry and top-up, IHAVE gossip to at least Dlazy
 * non-mesh peers, and the message cache shift. Control messages of one heartbeat go to each peer in
 * a single RPC. Every {@value #OPPORTUNISTIC_GRAFT_TICKS} heartbeats, a mesh whose median score is
 * below the opportunistic graft threshold grafts up to {@value #OPPORTUNISTIC_GRAFT_PEERS} peers
 * scoring above the median. IWANT promises broken by then cost one P7 point each. Not thread-safe.
 */
final class Heartbeat {
  /** Heartbeats between opportunistic grafting rounds (spec default). */
  static final int OPPORTUNISTIC_GRAFT_TICKS = 60;

  /** Peers grafted per topic per opportunistic round (spec default). */
  static final int OPPORTUNISTIC_GRAFT_PEERS = 2;

  private final GossipRouter r;
  private long ticks;
  private Map<PeerId, ControlMessage.Builder> pending;

  Heartbeat(GossipRouter router) {
    this.r = router;
  }

  /**
   * Topic peers eligible for a mesh or fanout, shuffled: gossip capable, not in {@code exclude},
   * score at least 0 (publish threshold for fanout), and not in backoff (mesh only).
   */
  List<PeerId> candidates(String topic, Set<PeerId> exclude, boolean forFanout) {
    List<PeerId> out = new ArrayList<>();
    for (PeerId p : r.topics.getOrDefault(topic, Set.of())) {
      GossipRouter.PeerState ps = r.peers.get(p);
      if (ps == null || !ps.kind.gossip() || exclude.contains(p)) {
        continue;
      }
      double s = r.score.score(p);
      if (forFanout ? s >= r.cfg.score().publishThreshold() : s >= 0 && !r.inBackoff(p, topic)) {
        out.add(p);
      }
    }
    Collections.shuffle(out, r.random);
    return out;
  }

  private ControlMessage.Builder pending(PeerId p) {
    return pending.computeIfAbsent(p, x -> ControlMessage.newBuilder());
  }

  void run() {
    long now = r.now();
    pending = new LinkedHashMap<>();
    r.score.refresh(now);
    r.promises.expire(now).forEach((p, n) -> r.score.penalize(p, n));
    for (GossipRouter.PeerState ps : r.peers.values()) {
      ps.ihaveMessages = 0;
      ps.idsAsked = 0;
    }
    for (Iterator<Map<PeerId, Long>> it = r.backoff.values().iterator(); it.hasNext(); ) {
      Map<PeerId, Long> m = it.next();
      m.values().removeIf(until -> until <= now);
      if (m.isEmpty()) {
        it.remove();
      }
    }
    boolean opportunistic = ++ticks % OPPORTUNISTIC_GRAFT_TICKS == 0;
    for (Map.Entry<String, Set<PeerId>> e : r.mesh.entrySet()) {
      maintainMesh(e.getKey(), e.getValue());
      if (opportunistic) {
        opportunisticGraft(e.getKey(), e.getValue());
      }
      emitGossip(e.getKey(), e.getValue());
    }
    long ttl = r.cfg.fanoutTtl().toMillis();
    for (Iterator<Map.Entry<String, Set<PeerId>>> it = r.fanout.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<String, Set<PeerId>> e = it.next();
      String topic = e.getKey();
      if (r.fanoutLastPublish.getOrDefault(topic, 0L) + ttl < now) {
        it.remove();
        r.fanoutLastPublish.remove(topic);
        continue;
      }
      Set<PeerId> f = e.getValue();
      Set<PeerId> inTopic = r.topics.getOrDefault(topic, Set.of());
      f.removeIf(p -> !inTopic.contains(p) || r.score.score(p) < r.cfg.score().publishThreshold());
      for (PeerId p : candidates(topic, f, true)) {
        if (f.size() >= r.cfg.d()) {
          break;
        }
        f.add(p);
      }
      emitGossip(topic, f);
    }
    for (Map.Entry<PeerId, ControlMessage.Builder> e : pending.entrySet()) {
      r.sink.send(e.getKey(), RPC.newBuilder().setControl(e.getValue()).build());
    }
    pending = null;
    r.mcache.shift();
    r.seen.prune(now);
  }

  private void graft(String topic, Set<PeerId> mesh, PeerId p) {
    mesh.add(p);
    r.score.graft(p, topic, r.now());
    pending(p).addGraft(ControlGraft.newBuilder().setTopicID(topic));
  }

  private void prune(String topic, PeerId p) {
    long bo = r.cfg.pruneBackoff().toMillis();
    r.score.prune(p, topic);
    r.addBackoff(p, topic, bo);
    pending(p).addPrune(r.control.prune(p, topic, bo));
  }

  private void maintainMesh(String topic, Set<PeerId> mesh) {
    for (Iterator<PeerId> it = mesh.iterator(); it.hasNext(); ) {
      PeerId p = it.next();
      if (r.score.score(p) < 0) {
        it.remove();
        prune(topic, p);
      }
    }
    if (mesh.size() < r.cfg.dlo()) {
      for (PeerId p : candidates(topic, mesh, false)) {
        if (mesh.size() >= r.cfg.d()) {
          break;
        }
        graft(topic, mesh, p);
      }
    }
    if (mesh.size() > r.cfg.dhi()) {
      shrink(topic, mesh);
    }
    if (mesh.size() >= r.cfg.dlo()) {
      int outbound = countOutbound(mesh);
      if (outbound < r.cfg.dout()) {
        for (PeerId p : candidates(topic, mesh, false)) {
          if (outbound >= r.cfg.dout()) {
            break;
          }
          if (r.peers.get(p).outbound) {
            graft(topic, mesh, p);
            outbound++;
          }
        }
      }
    }
  }

  private void opportunisticGraft(String topic, Set<PeerId> mesh) {
    if (mesh.size() < 2) {
      return;
    }
    List<Double> scores = new ArrayList<>();
    for (PeerId p : mesh) {
      scores.add(r.score.score(p));
    }
    Collections.sort(scores);
    double median = scores.get(scores.size() / 2);
    if (median >= r.cfg.score().opportunisticGraftThreshold()) {
      return;
    }
    int grafted = 0;
    for (PeerId p : candidates(topic, mesh, false)) {
      if (grafted >= OPPORTUNISTIC_GRAFT_PEERS) {
        break;
      }
      if (r.score.score(p) > median) {
        graft(topic, mesh, p);
        grafted++;
      }
    }
  }

  int countOutbound(Set<PeerId> peers) {
    int n = 0;
    for (PeerId p : peers) {
      GossipRouter.PeerState ps = r.peers.get(p);
      if (ps != null && ps.outbound) {
        n++;
      }
    }
    return n;
  }

  /** Keeps the Dscore best, fills to D at random, makes sure Dout of them are outbound. */
  private void shrink(String topic, Set<PeerId> mesh) {
    Map<PeerId, Double> scores = new HashMap<>();
    for (PeerId p : mesh) {
      scores.put(p, r.score.score(p));
    }
    List<PeerId> all = new ArrayList<>(mesh);
    Collections.shuffle(all, r.random);
    all.sort(Comparator.comparingDouble((PeerId p) -> scores.get(p)).reversed());
    List<PeerId> keep = new ArrayList<>(all.subList(0, r.cfg.dscore()));
    List<PeerId> rest = new ArrayList<>(all.subList(r.cfg.dscore(), all.size()));
    Collections.shuffle(rest, r.random);
    while (keep.size() < r.cfg.d() && !rest.isEmpty()) {
      keep.add(rest.remove(0));
    }
    // swap outbound peers from the pruned rest for inbound ones in keep until Dout are kept
    int outbound = countOutbound(Set.copyOf(keep));
    for (PeerId p : List.copyOf(rest)) {
      if (outbound >= r.cfg.dout()) {
        break;
      }
      if (!r.peers.get(p).outbound) {
        continue;
      }
      for (int i = keep.size() - 1; i >= 0; i--) {
        if (!r.peers.get(keep.get(i)).outbound) {
          keep.set(i, p);
          outbound++;
          break;
        }
      }
    }
    for (PeerId p : List.copyOf(mesh)) {
      if (!keep.contains(p)) {
        mesh.remove(p);
        prune(topic, p);
      }
    }
  }

  private void emitGossip(String topic, Set<PeerId> exclude) {
    List<ByteString> ids = r.mcache.gossipIds(topic);
    if (ids.isEmpty()) {
      return;
    }
    if (ids.size() > r.cfg.maxIHaveLength()) {
      Collections.shuffle(ids, r.random);
      ids = ids.subList(0, r.cfg.maxIHaveLength());
    }
    List<PeerId> eligible = new ArrayList<>();
    for (PeerId p : r.topics.getOrDefault(topic, Set.of())) {
      GossipRouter.PeerState ps = r.peers.get(p);
      if (ps != null
          && ps.kind.gossip()
          && !exclude.contains(p)
          && r.score.score(p) >= r.cfg.score().gossipThreshold()) {
        eligible.add(p);
      }
    }
    int n = Math.max(r.cfg.dlazy(), (int) (r.cfg.gossipFactor() * eligible.size()));
    Collections.shuffle(eligible, r.random);
    ControlIHave ihave = ControlIHave.newBuilder().setTopicID(topic).addAllMessageIDs(ids).build();
    for (PeerId p : eligible.subList(0, Math.min(n, eligible.size()))) {
      pending(p).addIhave(ihave);
    }
  }
}
