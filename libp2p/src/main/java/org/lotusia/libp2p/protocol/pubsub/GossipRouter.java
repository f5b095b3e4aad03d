package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.PrivateKey;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GossipSub v1.1/v1.2 router as an I/O-free state machine, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md: peers and their
 * subscriptions, our subscriptions, the mesh and fanout, backoffs, the seen and message caches and
 * the peer score. Inbound RPCs enter through {@link #handleRpc}, time advances through {@link
 * #heartbeat()}, output leaves through a {@link RouterSink}. Control handling is in {@link
 * ControlHandler}, mesh maintenance and gossip emission in {@link Heartbeat}.
 *
 * <p>Not thread-safe: confine every call to one thread.
 */
final class GossipRouter {
  private static final Logger LOG = LoggerFactory.getLogger(GossipRouter.class);

  /** Time a peer has to deliver a message it advertised and we asked for (spec default 3 s). */
  static final long IWANT_FOLLOWUP_MILLIS = 3000;

  /** Per-peer state. */
  static final class PeerState {
    final PeerKind kind;
    final boolean outbound;
    final Set<String> topics = new HashSet<>();
    final LinkedHashSet<ByteString> dontWant = new LinkedHashSet<>();
    int ihaveMessages;
    int idsAsked;

    PeerState(PeerKind kind, boolean outbound) {
      this.kind = kind;
      this.outbound = outbound;
    }
  }

  final GossipSubConfig cfg;
  final PeerId self;
  private final PrivateKey key;
  final RouterSink sink;
  final Random random;
  final Map<PeerId, PeerState> peers = new HashMap<>();
  final Map<String, Set<PeerId>> topics = new HashMap<>();
  final Set<String> subscriptions = new HashSet<>();
  final Map<String, Set<PeerId>> mesh = new HashMap<>();
  final Map<String, Set<PeerId>> fanout = new HashMap<>();
  final Map<String, Long> fanoutLastPublish = new HashMap<>();
  final Map<String, Map<PeerId, Long>> backoff = new HashMap<>();
  private final Map<String, TopicValidator> validators = new HashMap<>();
  final SeenCache seen;
  final MessageCache mcache;
  final PeerScore score;
  final GossipPromises promises;
  final ControlHandler control;
  final Heartbeat heartbeat;
  private long seqno;
  final Counters counters;

  GossipRouter(
      GossipSubConfig cfg,
      PeerId self,
      PrivateKey key,
      RouterSink sink,
      Random random,
      Counters counters) {
    this.counters = counters;
    this.cfg = cfg;
    this.self = self;
    this.key = key;
    this.sink = sink;
    this.random = random;
    this.seen = new SeenCache(cfg.seenTtl().toMillis(), cfg.maxSeenMessages());
    this.mcache = new MessageCache(cfg.mcacheLength(), cfg.mcacheGossip());
    this.score = new PeerScore(cfg.score());
    this.promises = new GossipPromises(IWANT_FOLLOWUP_MILLIS, random);
    this.control = new ControlHandler(this);
    this.heartbeat = new Heartbeat(this);
    this.seqno = cfg.clock().millis() * 1_000_000L;
  }

  long now() {
    return cfg.clock().millis();
  }

  // ---------------------------------------------------------------- peers

  /** A peer speaking {@code protocol} became reachable; we send it our subscriptions. */
  void addPeer(PeerId peer, String protocol, boolean outbound) {
    if (peers.containsKey(peer)) {
      return;
    }
    peers.put(peer, new PeerState(PeerKind.of(protocol), outbound));
    score.addPeer(peer, now());
    if (!subscriptions.isEmpty()) {
      RPC.Builder b = RPC.newBuilder();
      for (String t : subscriptions) {
        b.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(t));
      }
      sink.send(peer, b.build());
    }
  }

  /** A peer went away: forget it everywhere. */
  void removePeer(PeerId peer) {
    PeerState ps = peers.remove(peer);
    if (ps == null) {
      return;
    }
    for (String t : ps.topics) {
      Set<PeerId> s = topics.get(t);
      if (s != null && s.remove(peer) && s.isEmpty()) {
        topics.remove(t);
      }
      sink.peerUnsubscribed(peer, t);
    }
    mesh.values().forEach(s -> s.remove(peer));
    fanout.values().forEach(s -> s.remove(peer));
    score.removePeer(peer, now());
    promises.removePeer(peer);
  }

  boolean hasPeer(PeerId peer) {
    return peers.containsKey(peer);
  }

  double scoreOf(PeerId peer) {
    return score.score(peer);
  }

  /** Adds {@code count} behaviour penalty points (P7) to {@code peer}: it broke the wire format. */
  void penalize(PeerId peer, double count) {
    score.penalize(peer, count);
  }

  /** Sets the application-specific score (P5) of {@code peer}. */
  void setAppScore(PeerId peer, double value) {
    score.setAppScore(peer, value);
  }

  /** The peers speaking pubsub with us. */
  List<PeerId> peerIds() {
    return List.copyOf(peers.keySet());
  }

  void addBackoff(PeerId peer, String topic, long millis) {
    long until = now() + millis;
    backoff.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, until, Math::max);
  }

  boolean inBackoff(PeerId peer, String topic) {
    Map<PeerId, Long> m = backoff.get(topic);
    Long until = m == null ? null : m.get(peer);
    return until != null && until > now();
  }

  // ---------------------------------------------------------------- inbound

  /** Handles one RPC from {@code from}, enforcing the per-RPC limits. */
  void handleRpc(PeerId from, RPC rpc) {
    PeerState ps = peers.get(from);
    if (ps == null) {
      return;
    }
    if (score.score(from) < cfg.score().graylistThreshold()) {
      counters.graylistedRpcs.increment();
      LOG.debug("ignoring RPC from graylisted peer {}", from);
      return;
    }
    String violation = limitViolation(rpc);
    if (violation != null) {
      counters.rejectedRpcs.increment();
      score.penalize(from, 1);
      LOG.debug("dropping RPC from {}: {}", from, violation);
      return;
    }
    for (RPC.SubOpts s : rpc.getSubscriptionsList()) {
      handleSubscription(from, ps, s);
    }
    for (Message m : rpc.getPublishList()) {
      handleMessage(from, m);
    }
    if (rpc.hasControl() && ps.kind.gossip()) {
      control.handle(from, ps, rpc.getControl());
    }
  }

  private String limitViolation(RPC rpc) {
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

  private void handleSubscription(PeerId from, PeerState ps, RPC.SubOpts s) {
    String topic = s.getTopicid();
    if (s.getSubscribe()) {
      if (ps.topics.size() >= cfg.maxTopicsPerPeer() && !ps.topics.contains(topic)) {
        return;
      }
      if (ps.topics.add(topic)) {
        topics.computeIfAbsent(topic, t -> new HashSet<>()).add(from);
        sink.peerSubscribed(from, topic);
      }
    } else if (ps.topics.remove(topic)) {
      Set<PeerId> set = topics.get(topic);
      if (set != null && set.remove(from) && set.isEmpty()) {
        topics.remove(topic);
      }
      Set<PeerId> m = mesh.get(topic);
      if (m != null && m.remove(from)) {
        score.prune(from, topic);
      }
      Set<PeerId> f = fanout.get(topic);
      if (f != null) {
        f.remove(from);
      }
      sink.peerUnsubscribed(from, topic);
    }
  }

  private void handleMessage(PeerId from, Message m) {
    if (!m.hasTopic() || !subscriptions.contains(m.getTopic())) {
      counters.ignored.increment();
      return;
    }
    String topic = m.getTopic();
    MessageSigning.Checked c;
    try {
      c = MessageSigning.check(m, cfg.signaturePolicy());
    } catch (MessageSigning.InvalidMessage e) {
      counters.invalid.increment();
      score.rejected(from, topic);
      LOG.debug("invalid message from {}: {}", from, e.getMessage());
      return;
    }
    ByteString id = MessageSigning.messageId(c);
    if (!seen.add(id, now())) {
      counters.duplicates.increment();
      score.delivered(from, topic, false);
      return;
    }
    if (self.equals(c.from())) {
      return;
    }
    PubsubMessage pm =
        new PubsubMessage(
            topic,
            m.getData().toByteArray(),
            c.from(),
            m.getSeqno().toByteArray(),
            id.toByteArray(),
            from);
    ValidationResult r = validate(pm);
    // the advertiser delivered what it promised, even if the application does not want it
    promises.delivered(id);
    if (r == ValidationResult.REJECT) {
      counters.invalid.increment();
      score.rejected(from, topic);
      return;
    }
    if (r == ValidationResult.IGNORE) {
      counters.ignored.increment();
      return;
    }
    counters.delivered.increment();
    score.delivered(from, topic, true);
    mcache.put(id, m);
    sink.deliver(pm);
    forward(id, m, from, c.from());
  }

  private ValidationResult validate(PubsubMessage pm) {
    TopicValidator v = validators.get(pm.topic());
    if (v == null) {
      return ValidationResult.ACCEPT;
    }
    try {
      ValidationResult r = v.validate(pm);
      return r == null ? ValidationResult.IGNORE : r;
    } catch (RuntimeException e) {
      LOG.warn("validator of topic {} threw; ignoring the message", pm.topic(), e);
      return ValidationResult.IGNORE;
    }
  }

  private void forward(ByteString id, Message m, PeerId source, PeerId author) {
    String topic = m.getTopic();
    Set<PeerId> targets = new LinkedHashSet<>(mesh.getOrDefault(topic, Set.of()));
    for (PeerId p : topics.getOrDefault(topic, Set.of())) {
      PeerState ps = peers.get(p);
      if (ps != null && !ps.kind.gossip()) {
        targets.add(p);
      }
    }
    targets.remove(source);
    if (author != null) {
      targets.remove(author);
    }
    if (m.getData().size() >= cfg.idontwantMinSize()) {
      RPC dontWant =
          RPC.newBuilder()
              .setControl(
                  ControlMessage.newBuilder()
                      .addIdontwant(
                          org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIDontWant
                              .newBuilder()
                              .addMessageIDs(id)))
              .build();
      for (PeerId p : mesh.getOrDefault(topic, Set.of())) {
        PeerState ps = peers.get(p);
        if (!p.equals(source) && ps != null && ps.kind.idontwant()) {
          sink.send(p, dontWant);
        }
      }
    }
    RPC out = RPC.newBuilder().addPublish(m).build();
    for (PeerId p : targets) {
      PeerState ps = peers.get(p);
      if (ps != null && !ps.dontWant.contains(id)) {
        sink.send(p, out);
      }
    }
  }

  // ---------------------------------------------------------------- local API

  void addValidator(String topic, TopicValidator v) {
    validators.put(topic, v);
  }

  void removeValidator(String topic) {
    validators.remove(topic);
  }

  /** Joins {@code topic}: announces it and builds a mesh from fanout and topic peers. */
  void subscribe(String topic) {
    if (!subscriptions.add(topic)) {
      return;
    }
    announce(topic, true);
    Set<PeerId> m = new LinkedHashSet<>();
    Set<PeerId> f = fanout.remove(topic);
    fanoutLastPublish.remove(topic);
    if (f != null) {
      for (PeerId p : f) {
        if (m.size() < cfg.d() && !inBackoff(p, topic) && score.score(p) >= 0) {
          m.add(p);
        }
      }
    }
    for (PeerId p : heartbeat.candidates(topic, m, false)) {
      if (m.size() >= cfg.d()) {
        break;
      }
      m.add(p);
    }
    mesh.put(topic, m);
    for (PeerId p : m) {
      score.graft(p, topic, now());
      sink.send(p, RPC.newBuilder().setControl(control.graft(topic)).build());
    }
  }

  /** Leaves {@code topic}: announces it and prunes the mesh with the unsubscribe backoff. */
  void unsubscribe(String topic) {
    if (!subscriptions.remove(topic)) {
      return;
    }
    announce(topic, false);
    Set<PeerId> m = mesh.remove(topic);
    if (m != null) {
      long bo = cfg.unsubscribeBackoff().toMillis();
      for (PeerId p : m) {
        score.prune(p, topic);
        addBackoff(p, topic, bo);
        ControlPrune prune = control.prune(p, topic, bo);
        sink.send(
            p, RPC.newBuilder().setControl(ControlMessage.newBuilder().addPrune(prune)).build());
      }
    }
  }

  private void announce(String topic, boolean subscribe) {
    RPC rpc =
        RPC.newBuilder()
            .addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(subscribe).setTopicid(topic))
            .build();
    for (PeerId p : peers.keySet()) {
      sink.send(p, rpc);
    }
  }

  /**
   * Publishes {@code data} to {@code topic}, signed per the policy.
   *
   * @return the message as other peers will see it, and the peers it was sent to
   * @throws IllegalStateException when the message ID was already seen (StrictNoSign with the same
   *     data within the seen TTL)
   * @throws NoPeersSubscribedException when nobody would get it and that is not allowed
   */
  Published publish(String topic, byte[] data) {
    Message m;
    MessageSigning.Checked c;
    if (cfg.signaturePolicy() == SignaturePolicy.STRICT_SIGN) {
      m = MessageSigning.sign(key, self, topic, data, ++seqno);
      c = new MessageSigning.Checked(m, self, key.publicKey());
    } else {
      m = MessageSigning.unsigned(topic, data);
      c = new MessageSigning.Checked(m, null, null);
    }
    ByteString id = MessageSigning.messageId(c);
    if (seen.contains(id)) {
      throw new IllegalStateException("duplicate message: the same ID was published recently");
    }
    boolean toSelf = cfg.emitSelf() && subscriptions.contains(topic);
    Set<PeerId> targets = publishTargets(topic);
    if (targets.isEmpty() && !toSelf && !cfg.allowPublishToZeroTopicPeers()) {
      throw new NoPeersSubscribedException(topic);
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

  /** A published message and its first-hop recipients. */
  record Published(PubsubMessage message, List<PeerId> recipients) {}

  private Set<PeerId> publishTargets(String topic) {
    Set<PeerId> targets = new LinkedHashSet<>();
    Set<PeerId> inTopic = topics.getOrDefault(topic, Set.of());
    double publishThreshold = cfg.score().publishThreshold();
    if (cfg.floodPublish()) {
      for (PeerId p : inTopic) {
        if (score.score(p) >= publishThreshold) {
          targets.add(p);
        }
      }
      return targets;
    }
    for (PeerId p : inTopic) {
      if (!peers.get(p).kind.gossip() && score.score(p) >= publishThreshold) {
        targets.add(p);
      }
    }
    Set<PeerId> m = mesh.get(topic);
    if (m != null) {
      targets.addAll(m);
      if (m.size() < cfg.d()) {
        List<PeerId> extra = new ArrayList<>();
        for (PeerId p : inTopic) {
          if (!m.contains(p) && score.score(p) >= publishThreshold) {
            extra.add(p);
          }
        }
        java.util.Collections.shuffle(extra, random);
        targets.addAll(extra.subList(0, Math.min(extra.size(), cfg.d() - m.size())));
      }
      return targets;
    }
    Set<PeerId> f = fanout.computeIfAbsent(topic, t -> new LinkedHashSet<>());
    if (f.isEmpty()) {
      f.addAll(heartbeat.candidates(topic, Set.of(), true));
      while (f.size() > cfg.d()) {
        f.remove(f.iterator().next());
      }
    }
    fanoutLastPublish.put(topic, now());
    targets.addAll(f);
    return targets;
  }

  // ---------------------------------------------------------------- queries

  Set<PeerId> meshPeers(String topic) {
    return Set.copyOf(mesh.getOrDefault(topic, Set.of()));
  }

  Set<PeerId> topicPeers(String topic) {
    return Set.copyOf(topics.getOrDefault(topic, Set.of()));
  }

  /** Runs one heartbeat. */
  void heartbeat() {
    heartbeat.run();
  }
}
