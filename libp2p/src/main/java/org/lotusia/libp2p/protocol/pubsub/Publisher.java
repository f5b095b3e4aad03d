package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlGraft;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/**
 * This node's own actions on the overlay: joining and leaving topics (announce, build or prune the
 * mesh) and publishing (sign, pick the first hop: every topic peer above the publish threshold with
 * flood publishing, else the mesh or fanout; direct and floodsub peers always). Keeps only the
 * author's sequence number. Not thread-safe; part of the router.
 */
final class Publisher {
  private final GossipSubConfig cfg;
  private final PeerId self;
  private final IdentityPrivateKey key;
  private final PeerTable peers;
  private final MeshState overlay;
  private final PeerScore score;
  private final SeenCache seen;
  private final MessageCache mcache;
  private final Heartbeat heartbeat;
  private final PeerExchange exchange;
  private final Random random;
  private final Counters counters;
  private final RouterSink sink;
  private long seqno;

  Publisher(
      GossipSubConfig cfg,
      PeerId self,
      IdentityPrivateKey key,
      PeerTable peers,
      MeshState overlay,
      PeerScore score,
      SeenCache seen,
      MessageCache mcache,
      Heartbeat heartbeat,
      PeerExchange exchange,
      Random random,
      Counters counters,
      RouterSink sink) {
    this.cfg = cfg;
    this.self = self;
    this.key = key;
    this.peers = peers;
    this.overlay = overlay;
    this.score = score;
    this.seen = seen;
    this.mcache = mcache;
    this.heartbeat = heartbeat;
    this.exchange = exchange;
    this.random = random;
    this.counters = counters;
    this.sink = sink;
    // js-libp2p seeds its counter the same way, so restarts do not reuse sequence numbers
    this.seqno = cfg.clock().millis() * 1_000_000L;
  }

  private long now() {
    return cfg.clock().millis();
  }

  /** A published message and its first-hop recipients. */
  record Published(PubsubMessage message, List<PeerId> recipients) {}

  /** Joins {@code topic}: announces it and builds a mesh from fanout and topic peers. */
  void subscribe(String topic) {
    if (!overlay.join(topic)) {
      return;
    }
    announce(topic, true);
    long now = now();
    Set<PeerId> chosen = new LinkedHashSet<>();
    Set<PeerId> f = overlay.takeFanout(topic);
    if (f != null) {
      for (PeerId p : f) {
        if (chosen.size() < cfg.d() && !overlay.inBackoff(topic, p, now) && score.score(p) >= 0) {
          chosen.add(p);
        }
      }
    }
    for (PeerId p : heartbeat.candidates(topic, chosen, false, now)) {
      if (chosen.size() >= cfg.d()) {
        break;
      }
      chosen.add(p);
    }
    for (PeerId p : chosen) {
      overlay.graft(topic, p);
      score.graft(p, topic, now);
      sink.send(
          p,
          RPC.newBuilder()
              .setControl(
                  ControlMessage.newBuilder().addGraft(ControlGraft.newBuilder().setTopicID(topic)))
              .build());
    }
  }

  /** Leaves {@code topic}: announces it and prunes the mesh with the unsubscribe backoff. */
  void unsubscribe(String topic) {
    Set<PeerId> mesh = overlay.leave(topic);
    if (mesh == null) {
      return;
    }
    announce(topic, false);
    long bo = cfg.unsubscribeBackoff().toMillis();
    long now = now();
    for (PeerId p : mesh) {
      score.prune(p, topic);
      overlay.backoff(topic, p, now + bo);
      ControlPrune prune = exchange.prune(p, topic, bo);
      sink.send(
          p, RPC.newBuilder().setControl(ControlMessage.newBuilder().addPrune(prune)).build());
    }
  }

  private void announce(String topic, boolean subscribe) {
    RPC rpc =
        RPC.newBuilder()
            .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(subscribe).setTopicid(topic))
            .build();
    for (PeerId p : peers.ids()) {
      sink.send(p, rpc);
    }
  }

  /**
   * Publishes {@code data} to {@code topic}, signed per the policy.
   *
   * @throws IllegalArgumentException when the message would exceed the RPC size limit
   * @throws IllegalStateException when the message ID was already seen
   * @throws NoPeersSubscribedException when nobody would get it and that is not allowed
   */
  Published publish(String topic, byte[] data) {
    Message m;
    MessageSigning.Checked c;
    if (cfg.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      m = MessageSigning.sign(key, self, topic, data, seqno + 1);
      c = new MessageSigning.Checked(m, self, key.publicKey());
    } else {
      m = MessageSigning.unsigned(topic, data);
      c = new MessageSigning.Checked(m, null, null);
    }
    // the RPC carrying it must fit the limit peers like us enforce
    int size = RPC.newBuilder().addPublish(m).build().getSerializedSize();
    if (size > cfg.maxRpcSize()) {
      throw new IllegalArgumentException(
          "a message of "
              + data.length
              + " bytes makes an RPC of "
              + size
              + " bytes, over maxRpcSize "
              + cfg.maxRpcSize());
    }
    ByteString id;
    try {
      id = MessageSigning.messageId(cfg.messageIdFunction(), c);
    } catch (MessageSigning.InvalidMessage e) {
      throw new IllegalStateException("cannot publish: " + e.getMessage(), e);
    }
    if (seen.contains(id)) {
      throw new IllegalStateException("duplicate message: the same ID was published recently");
    }
    boolean toSelf = cfg.emitSelf() && overlay.subscribed(topic);
    Set<PeerId> targets = targets(topic);
    if (targets.isEmpty() && !toSelf && !cfg.allowPublishToZeroTopicPeers()) {
      throw new NoPeersSubscribedException(topic);
    }
    if (m.hasSeqno()) {
      seqno++;
    }
    seen.add(id, now());
    mcache.put(id, m);
    counters.published.increment();
    RPC rpc = RPC.newBuilder().addPublish(m).build();
    for (PeerId p : targets) {
      sink.send(p, rpc);
    }
    PubsubMessage pm =
        new PubsubMessage(
            topic, data.clone(), c.from(), m.getSeqno().toByteArray(), id.toByteArray(), self);
    if (toSelf) {
      sink.deliver(pm);
    }
    return new Published(pm, List.copyOf(targets));
  }

  private Set<PeerId> targets(String topic) {
    Set<PeerId> targets = new LinkedHashSet<>();
    Set<PeerId> inTopic = peers.inTopic(topic);
    double publishThreshold = cfg.score().publishThreshold();
    for (PeerId p : inTopic) {
      PeerState ps = peers.get(p);
      // direct peers get every message (spec v1.1); floodsub peers know no mesh
      if (ps.direct() || (!ps.kind().gossip() && score.score(p) >= publishThreshold)) {
        targets.add(p);
      }
    }
    if (cfg.floodPublish()) {
      for (PeerId p : inTopic) {
        if (score.score(p) >= publishThreshold) {
          targets.add(p);
        }
      }
      return targets;
    }
    if (overlay.subscribed(topic)) {
      Set<PeerId> mesh = overlay.mesh(topic);
      targets.addAll(mesh);
      if (mesh.size() < cfg.d()) {
        List<PeerId> extra = new ArrayList<>();
        for (PeerId p : inTopic) {
          if (!mesh.contains(p)
              && !peers.direct(p)
              && peers.gossips(p)
              && score.score(p) >= publishThreshold) {
            extra.add(p);
          }
        }
        Collections.shuffle(extra, random);
        targets.addAll(extra.subList(0, Math.min(extra.size(), cfg.d() - mesh.size())));
      }
      return targets;
    }
    long now = now();
    Set<PeerId> f = overlay.fanoutForPublish(topic, now);
    if (f.isEmpty()) {
      for (PeerId p : heartbeat.candidates(topic, Set.of(), true, now)) {
        if (f.size() >= cfg.d()) {
          break;
        }
        f.add(p);
      }
    }
    targets.addAll(f);
    return targets;
  }
}
