package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlIDontWant;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GossipSub v1.1/v1.2 router as an I/O-free state machine, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md. Inbound RPCs
 * enter through {@link #handleRpc}, time advances through {@link #heartbeat()}, output leaves
 * through a {@link RouterSink}, validation happens off this thread through a {@link Validation}.
 *
 * <p>It owns the pieces and wires them; each piece owns its state: {@link PeerTable} (peers and
 * their topics), {@link MeshState} (mesh, fanout, backoff), {@link SeenCache}, {@link
 * MessageCache}, {@link PeerScore}, {@link GossipPromises}; {@link ControlHandler}, {@link
 * Heartbeat}, {@link PeerExchange} and {@link Publisher} act on them through their methods. The
 * router itself keeps the validators and the messages under validation.
 *
 * <p>A received message is handled in this order: topic subscribed, structure per the signature
 * policy (cheap), message ID, seen cache and messages under validation (duplicates stop here,
 * before any signature is verified), then the validation pool verifies the signature and runs the
 * topic's validator. Only a message whose signature verified enters the seen cache, so a forgery
 * cannot suppress the genuine message. Copies arriving during validation are near-first deliveries
 * (P3) and are not forwarded back to their senders.
 *
 * <p>Not thread-safe: confine every call to one thread.
 */
final class GossipRouter {
  private static final Logger LOG = LoggerFactory.getLogger(GossipRouter.class);

  /** Time a peer has to deliver a message it advertised and we asked for (spec default 3 s). */
  static final long IWANT_FOLLOWUP_MILLIS = 3000;

  private final GossipSubConfig cfg;
  private final PeerId self;
  private final RouterSink sink;
  private final Counters counters;
  private final Validation validation;
  private final Set<PeerId> directPeers;
  private final PeerTable peers;
  private final MeshState overlay = new MeshState();
  private final SeenCache seen;
  private final MessageCache mcache;
  private final PeerScore score;
  private final GossipPromises promises;
  private final PeerExchange exchange;
  private final ControlHandler control;
  private final Heartbeat heartbeat;
  private final Publisher publisher;
  private final Map<String, TopicValidator> validators = new HashMap<>();
  private final Map<ByteString, InFlight> validating = new HashMap<>();

  /**
   * A message under validation: the peers that sent identical copies meanwhile, and the first copy
   * with the same ID but different bytes, kept so that a forgery that arrived first cannot make the
   * router drop the genuine message (it is validated next if the first fails).
   */
  private static final class InFlight {
    final Set<PeerId> nearFirst = new LinkedHashSet<>();
    final Message message;
    ValidationJob alternative;

    InFlight(Message message) {
      this.message = message;
    }
  }

  GossipRouter(
      GossipSubConfig cfg,
      PeerId self,
      IdentityPrivateKey key,
      RouterSink sink,
      Random random,
      Counters counters,
      Validation validation,
      Function<PeerId, Optional<byte[]>> records) {
    this.cfg = cfg;
    this.self = self;
    this.sink = sink;
    this.counters = counters;
    this.validation = validation;
    this.directPeers = cfg.directPeerIds();
    this.peers = new PeerTable(cfg.maxTopicsPerPeer());
    this.seen = new SeenCache(cfg.seenTtl().toMillis(), cfg.maxSeenMessages());
    this.mcache = new MessageCache(cfg.mcacheLength(), cfg.mcacheGossip());
    this.score = new PeerScore(cfg.score());
    this.promises = new GossipPromises(IWANT_FOLLOWUP_MILLIS, random);
    this.exchange = new PeerExchange(cfg, self, peers, score, records, random, sink);
    this.control =
        new ControlHandler(
            cfg, peers, overlay, score, mcache, promises, exchange, this::known, this::now, sink);
    this.heartbeat =
        new Heartbeat(cfg, peers, overlay, score, mcache, seen, promises, exchange, random, sink);
    this.publisher =
        new Publisher(
            cfg, self, key, peers, overlay, score, seen, mcache, heartbeat, exchange, random,
            counters, sink);
  }

  long now() {
    return cfg.clock().millis();
  }

  private boolean known(ByteString id) {
    return seen.contains(id) || validating.containsKey(id);
  }

  // ---------------------------------------------------------------- peers

  /** A peer speaking {@code protocol} became reachable; we send it our subscriptions. */
  void addPeer(PeerId peer, String protocol, boolean outbound) {
    addPeer(peer, protocol, outbound, null);
  }

  /**
   * A peer speaking {@code protocol}, connected from {@code ip} (null when unknown), became
   * reachable; we send it our subscriptions.
   */
  void addPeer(PeerId peer, String protocol, boolean outbound, String ip) {
    PeerState ps = new PeerState(PeerKind.of(protocol), outbound, ip, directPeers.contains(peer));
    if (!peers.add(peer, ps)) {
      return;
    }
    score.addPeer(peer, now(), ip);
    if (!overlay.topics().isEmpty()) {
      RPC.Builder b = RPC.newBuilder();
      for (String t : overlay.topics()) {
        b.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid(t));
      }
      sink.send(peer, b.build());
    }
  }

  /** A peer went away: forget it everywhere; its subscriptions end. */
  void removePeer(PeerId peer) {
    PeerState ps = peers.remove(peer);
    if (ps == null) {
      return;
    }
    for (String t : overlay.removePeer(peer)) {
      score.prune(peer, t);
    }
    for (String t : ps.topics()) {
      sink.peerUnsubscribed(peer, t);
    }
    score.removePeer(peer, now());
    promises.removePeer(peer);
  }

  boolean hasPeer(PeerId peer) {
    return peers.contains(peer);
  }

  List<PeerId> peerIds() {
    return peers.ids();
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

  boolean inBackoff(PeerId peer, String topic) {
    return overlay.inBackoff(topic, peer, now());
  }

  // ---------------------------------------------------------------- inbound

  /** Handles one RPC from {@code from} that holds no inbound budget (tests). */
  void handleRpc(PeerId from, RPC rpc) {
    handleRpc(from, rpc, InboundBudget.none());
  }

  /**
   * Handles one RPC from {@code from}, enforcing the per-RPC limits. Releases {@code ticket},
   * except the share of each message that goes to validation, which is released when its validation
   * ends.
   */
  void handleRpc(PeerId from, RPC rpc, InboundBudget.Ticket ticket) {
    try {
      PeerState ps = peers.get(from);
      if (ps == null) {
        return;
      }
      // spec v1.1: RPCs of direct peers are always accepted
      if (!ps.direct() && score.score(from) < cfg.score().graylistThreshold()) {
        counters.graylistedRpcs.increment();
        LOG.debug("ignoring RPC from graylisted peer {}", from);
        return;
      }
      String violation = RpcLimits.violation(cfg, rpc);
      if (violation != null) {
        counters.rejectedRpcs.increment();
        score.penalize(from, 1);
        LOG.debug("dropping RPC from {}: {}", from, violation);
        return;
      }
      for (RPC.SubOpts s : rpc.getSubscriptionsList()) {
        handleSubscription(from, s);
      }
      for (Message m : rpc.getPublishList()) {
        handleMessage(from, m, ticket);
      }
      if (rpc.hasControl() && ps.kind().gossip()) {
        control.handle(from, ps, rpc.getControl());
      }
    } finally {
      ticket.release();
    }
  }

  private void handleSubscription(PeerId from, RPC.SubOpts s) {
    String topic = s.getTopicid();
    if (s.getSubscribe()) {
      if (peers.subscribe(from, topic)) {
        sink.peerSubscribed(from, topic);
      }
    } else if (peers.unsubscribe(from, topic)) {
      if (overlay.prune(topic, from)) {
        score.prune(from, topic);
      }
      overlay.removeFromFanout(topic, from);
      sink.peerUnsubscribed(from, topic);
    }
  }

  private void handleMessage(PeerId from, Message m, InboundBudget.Ticket ticket) {
    if (!m.hasTopic() || !overlay.subscribed(m.getTopic())) {
      counters.ignored.increment();
      return;
    }
    String topic = m.getTopic();
    MessageSigning.Checked c;
    ByteString id;
    try {
      c = MessageSigning.precheck(m, cfg.signaturePolicy());
      id = MessageSigning.messageId(cfg.messageIdFunction(), c);
    } catch (MessageSigning.InvalidMessage e) {
      invalid(from, topic, e.getMessage());
      return;
    }
    InFlight inFlight = validating.get(id);
    if (inFlight != null) {
      counters.duplicates.increment();
      if (inFlight.alternative == null && !m.equals(inFlight.message)) {
        inFlight.alternative =
            new ValidationJob(
                from, id, c, validators.get(topic), ticket.split(m.getSerializedSize()));
      } else {
        inFlight.nearFirst.add(from);
      }
      return;
    }
    long seenAt = seen.addedAt(id);
    if (seenAt >= 0 || self.equals(c.from())) {
      counters.duplicates.increment();
      // spec v1.1 P3: a copy within the delivery window after validation is near-first too
      if (seenAt >= 0 && now() - seenAt <= cfg.score().meshMessageDeliveriesWindow().toMillis()) {
        score.delivered(from, topic, false);
      }
      return;
    }
    submit(
        new ValidationJob(from, id, c, validators.get(topic), ticket.split(m.getSerializedSize())));
  }

  private void submit(ValidationJob job) {
    // an IWANT promise is kept when the message arrives, not when its validation ends (as go
    // does): a slow validation queue must not make honest advertisers look like liars
    promises.delivered(job.id);
    validating.put(job.id, new InFlight(job.checked.message()));
    if (!validation.submit(job, this::validated)) {
      // the topic's validation queue is full: the message is dropped, nobody is blamed
      validating.remove(job.id);
      job.ticket.release();
    }
  }

  private void invalid(PeerId from, String topic, String why) {
    counters.invalid.increment();
    score.rejected(from, topic);
    LOG.debug("invalid message from {} on {}: {}", from, topic, why);
  }

  /** A validation ended; on the router thread. */
  private void validated(ValidationJob job) {
    job.ticket.release();
    InFlight inFlight = validating.remove(job.id);
    Set<PeerId> nearFirst = inFlight == null ? Set.of() : inFlight.nearFirst;
    ValidationJob alternative = inFlight == null ? null : inFlight.alternative;
    String topic = job.topic();
    if (job.outcome() == ValidationJob.Outcome.BAD_SIGNATURE) {
      // not marked seen: the genuine message with this ID may still come, from anyone
      invalid(job.source, topic, "bad signature");
      if (alternative != null) {
        submit(alternative);
      }
      return;
    }
    if (alternative != null) {
      alternative.ticket.release();
      nearFirst.add(alternative.source);
    }
    seen.add(job.id, now());
    switch (job.outcome()) {
      case REJECT -> {
        // spec v1.1 P4: every peer that delivered it is charged
        invalid(job.source, topic, "rejected by the validator");
        for (PeerId p : nearFirst) {
          invalid(p, topic, "rejected by the validator");
        }
      }
      case IGNORE -> counters.ignored.increment();
      default -> accept(job, nearFirst);
    }
  }

  private void accept(ValidationJob job, Set<PeerId> nearFirst) {
    String topic = job.topic();
    counters.delivered.increment();
    score.delivered(job.source, topic, true);
    for (PeerId p : nearFirst) {
      score.delivered(p, topic, false);
    }
    Message m = job.checked.message();
    mcache.put(job.id, m);
    if (overlay.subscribed(topic)) {
      sink.deliver(job.message());
    }
    Set<PeerId> skip = new LinkedHashSet<>(nearFirst);
    skip.add(job.source);
    if (job.checked.from() != null) {
      skip.add(job.checked.from());
    }
    forward(job.id, m, skip);
  }

  private void forward(ByteString id, Message m, Set<PeerId> skip) {
    String topic = m.getTopic();
    Set<PeerId> targets = new LinkedHashSet<>(overlay.mesh(topic));
    for (PeerId p : peers.inTopic(topic)) {
      PeerState ps = peers.get(p);
      // floodsub peers get everything; direct peers too (spec v1.1 explicit peering)
      if (!ps.kind().gossip() || ps.direct()) {
        targets.add(p);
      }
    }
    targets.removeAll(skip);
    if (m.getData().size() >= cfg.idontwantMinSize()) {
      RPC dontWant =
          RPC.newBuilder()
              .setControl(
                  ControlMessage.newBuilder()
                      .addIdontwant(ControlIDontWant.newBuilder().addMessageIDs(id)))
              .build();
      for (PeerId p : overlay.mesh(topic)) {
        PeerState ps = peers.get(p);
        if (!skip.contains(p) && ps != null && ps.kind().idontwant()) {
          sink.send(p, dontWant);
        }
      }
    }
    RPC out = RPC.newBuilder().addPublish(m).build();
    for (PeerId p : targets) {
      PeerState ps = peers.get(p);
      if (ps != null && ps.wants(id)) {
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
    publisher.subscribe(topic);
  }

  /** Leaves {@code topic}: announces it and prunes the mesh with the unsubscribe backoff. */
  void unsubscribe(String topic) {
    publisher.unsubscribe(topic);
  }

  /**
   * Publishes {@code data} to {@code topic}, signed per the policy.
   *
   * @return the message as other peers will see it, and the peers it was sent to
   * @throws IllegalStateException when the message ID was already seen (StrictNoSign with the same
   *     data within the seen TTL)
   * @throws NoPeersSubscribedException when nobody would get it and that is not allowed
   */
  Publisher.Published publish(String topic, byte[] data) {
    return publisher.publish(topic, data);
  }

  // ---------------------------------------------------------------- queries

  Set<PeerId> meshPeers(String topic) {
    return Set.copyOf(overlay.mesh(topic));
  }

  Set<PeerId> topicPeers(String topic) {
    return Set.copyOf(peers.inTopic(topic));
  }

  /** Messages under validation (for tests of the bound). */
  int validating() {
    return validating.size();
  }

  /** The message cache (for tests). */
  MessageCache mcache() {
    return mcache;
  }

  /** The overlay (for tests). */
  MeshState overlay() {
    return overlay;
  }

  /** The IWANT promises (for tests). */
  GossipPromises promises() {
    return promises;
  }

  /** Whether {@code peer}'s stream runs on an outbound connection (for tests). */
  boolean outbound(PeerId peer) {
    return peers.outbound(peer);
  }

  /** Runs one heartbeat. */
  void heartbeat() {
    heartbeat.run(now());
  }
}
