package org.lotusia.libp2p.protocol.pubsub;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;

/**
 * GossipSub settings. Defaults follow the spec and js-libp2p gossipsub: D=6, Dlo=4, Dhi=12,
 * Dscore=4, Dlazy=6, Dout=2, heartbeat 1 s, fanout TTL 60 s, message cache 5 windows (gossip 3),
 * seen TTL 120 s, prune backoff 60 s, unsubscribe backoff 10 s, flood publish on, PX off,
 * StrictSign with js-libp2p's message IDs, emitSelf off, publishing to zero peers allowed
 * (lotus-sdk's settings). Build with {@link #builder()}.
 *
 * @param d target mesh degree
 * @param dlo lower mesh bound; below it the heartbeat grafts
 * @param dhi upper mesh bound; above it the heartbeat prunes
 * @param dscore peers kept by score when pruning an oversized mesh
 * @param dlazy minimum peers receiving IHAVE gossip per topic per heartbeat
 * @param dout minimum outbound peers in a mesh
 * @param gossipFactor fraction of eligible peers receiving gossip when above {@code dlazy}
 * @param heartbeatInterval heartbeat period
 * @param fanoutTtl how long a fanout set lives after the last publish
 * @param mcacheLength history windows kept in the message cache
 * @param mcacheGossip windows advertised in IHAVE
 * @param seenTtl how long message IDs are remembered for deduplication
 * @param maxSeenMessages bound of the seen cache; the oldest entries go first
 * @param pruneBackoff backoff after a PRUNE
 * @param unsubscribeBackoff backoff sent when leaving a topic
 * @param graftFloodThreshold a GRAFT this soon after our PRUNE costs an extra penalty
 * @param prunePeers peers offered in PX
 * @param doPx whether PX is sent and followed
 * @param floodPublish whether own messages go to every topic peer above the publish threshold
 * @param emitSelf whether own published messages are delivered to own handlers of the topic
 * @param allowPublishToZeroTopicPeers whether a publish that reaches no peer succeeds; when false
 *     it fails with {@link NoPeersSubscribedException}
 * @param signaturePolicy signing and checking of messages
 * @param maxRpcSize largest accepted inbound RPC in bytes, length prefix excluded
 * @param maxTopicsPerRpc subscription entries accepted per RPC
 * @param maxMessagesPerRpc messages accepted per RPC
 * @param maxIHaveIdsPerRpc message IDs in all IHAVEs of one RPC
 * @param maxIWantIdsPerRpc message IDs in all IWANTs of one RPC
 * @param maxControlEntries GRAFT, PRUNE, IHAVE, IWANT and IDONTWANT entries per RPC
 * @param maxIHaveMessages RPCs with IHAVE followed per peer per heartbeat
 * @param maxIHaveLength message IDs asked per peer per heartbeat
 * @param gossipRetransmission times one message is served to one peer on IWANT
 * @param idontwantMinSize messages at least this large trigger IDONTWANT (meshsub 1.2)
 * @param maxIdontwantIds IDONTWANT IDs remembered per peer
 * @param maxTopicsPerPeer topics one remote peer may be subscribed to
 * @param outboundQueueSize RPCs queued per peer before new ones are dropped
 * @param inboundQueueBytes bytes of received RPCs from one peer waiting for the router; an RPC
 *     arriving while the budget is used up is dropped (one RPC is always taken when none waits);
 *     each RPC counts its size plus 64 bytes
 * @param messageIdFunction how message IDs are computed
 * @param directPeers peers with an explicit peering agreement, each address ending in {@code
 *     /p2p/<id>}: connected at start and every {@code directConnectInterval} when disconnected,
 *     sent every message of their topics, never in a mesh, their RPCs never graylisted
 * @param directConnectInterval how often missing direct peers are dialled again
 * @param validationThreads threads verifying signatures and running topic validators
 * @param validationQueueSize messages per topic waiting for validation; beyond it they are dropped
 *     and counted, without penalty
 * @param validationConcurrency messages of one topic validated at once, at most {@code
 *     validationThreads}; below it, a topic with a slow validator leaves threads to the others
 * @param globalInboundQueueBytes bytes of received RPCs from all peers together waiting for the
 *     router or for validation; an RPC arriving while the budget is used up is dropped
 * @param maxPxConnects peers learnt through PX being connected at once; further ones are skipped
 * @param deliveryQueueSize messages per subscribed topic waiting for its handlers; beyond it they
 *     are dropped and counted
 * @param eventQueueSize {@link PubsubListener} events waiting for the listeners; beyond it they are
 *     dropped and counted
 * @param score peer score parameters and thresholds
 * @param clock time source for the router
 */
public record GossipSubConfig(
    int d,
    int dlo,
    int dhi,
    int dscore,
    int dlazy,
    int dout,
    double gossipFactor,
    Duration heartbeatInterval,
    Duration fanoutTtl,
    int mcacheLength,
    int mcacheGossip,
    Duration seenTtl,
    int maxSeenMessages,
    Duration pruneBackoff,
    Duration unsubscribeBackoff,
    Duration graftFloodThreshold,
    int prunePeers,
    boolean doPx,
    boolean floodPublish,
    boolean emitSelf,
    boolean allowPublishToZeroTopicPeers,
    SignaturePolicy signaturePolicy,
    int maxRpcSize,
    int maxTopicsPerRpc,
    int maxMessagesPerRpc,
    int maxIHaveIdsPerRpc,
    int maxIWantIdsPerRpc,
    int maxControlEntries,
    int maxIHaveMessages,
    int maxIHaveLength,
    int gossipRetransmission,
    int idontwantMinSize,
    int maxIdontwantIds,
    int maxTopicsPerPeer,
    int outboundQueueSize,
    int inboundQueueBytes,
    MessageIdFunction messageIdFunction,
    List<Multiaddr> directPeers,
    Duration directConnectInterval,
    int validationThreads,
    int validationQueueSize,
    int validationConcurrency,
    int globalInboundQueueBytes,
    int maxPxConnects,
    int deliveryQueueSize,
    int eventQueueSize,
    PeerScoreParams score,
    Clock clock) {

  /** Checks the mesh degrees and limits. */
  public GossipSubConfig {
    ConfigChecks.mesh(d, dlo, dhi, dout, dscore, dlazy);
    ConfigChecks.gossip(gossipFactor, gossipRetransmission);
    ConfigChecks.messageCache(mcacheLength, mcacheGossip);
    ConfigChecks.atLeast("maxRpcSize", maxRpcSize, 64);
    ConfigChecks.atLeast("maxTopicsPerRpc", maxTopicsPerRpc, 1);
    ConfigChecks.atLeast("maxMessagesPerRpc", maxMessagesPerRpc, 1);
    ConfigChecks.atLeast("maxIHaveIdsPerRpc", maxIHaveIdsPerRpc, 1);
    ConfigChecks.atLeast("maxIWantIdsPerRpc", maxIWantIdsPerRpc, 1);
    ConfigChecks.atLeast("maxControlEntries", maxControlEntries, 1);
    ConfigChecks.atLeast("maxIHaveMessages", maxIHaveMessages, 0);
    ConfigChecks.atLeast("maxIHaveLength", maxIHaveLength, 0);
    ConfigChecks.atLeast("maxSeenMessages", maxSeenMessages, 1);
    ConfigChecks.atLeast("outboundQueueSize", outboundQueueSize, 1);
    ConfigChecks.atLeast("deliveryQueueSize", deliveryQueueSize, 1);
    ConfigChecks.atLeast("eventQueueSize", eventQueueSize, 1);
    ConfigChecks.atLeast("maxTopicsPerPeer", maxTopicsPerPeer, 1);
    ConfigChecks.atLeast("maxIdontwantIds", maxIdontwantIds, 0);
    ConfigChecks.atLeast("idontwantMinSize", idontwantMinSize, 0);
    ConfigChecks.atLeast("prunePeers", prunePeers, 0);
    ConfigChecks.atLeast("maxPxConnects", maxPxConnects, 0);
    ConfigChecks.inbound(inboundQueueBytes, globalInboundQueueBytes);
    ConfigChecks.validation(validationThreads, validationQueueSize, validationConcurrency);
    ConfigChecks.positive("heartbeatInterval", heartbeatInterval);
    ConfigChecks.positive("fanoutTtl", fanoutTtl);
    ConfigChecks.positive("seenTtl", seenTtl);
    ConfigChecks.positive("pruneBackoff", pruneBackoff);
    ConfigChecks.positive("unsubscribeBackoff", unsubscribeBackoff);
    ConfigChecks.positive("graftFloodThreshold", graftFloodThreshold);
    ConfigChecks.positive("directConnectInterval", directConnectInterval);
    directPeers = ConfigChecks.directPeers(directPeers);
    Objects.requireNonNull(messageIdFunction, "messageIdFunction");
    Objects.requireNonNull(signaturePolicy, "signaturePolicy");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(clock, "clock");
  }

  /** The peer IDs of the direct peers. */
  public Set<PeerId> directPeerIds() {
    return directPeers.stream().map(a -> a.peerId().orElseThrow()).collect(Collectors.toSet());
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static GossipSubConfig defaults() {
    return builder().build();
  }

  /** Builds a {@link GossipSubConfig}; every setter documents its default. Not thread-safe. */
  public static final class Builder {
    private int d = 6;
    private int dlo = 4;
    private int dhi = 12;
    private int dscore = 4;
    private int dlazy = 6;
    private int dout = 2;
    private double gossipFactor = 0.25;
    private Duration heartbeat = Duration.ofSeconds(1);
    private Duration fanoutTtl = Duration.ofSeconds(60);
    private int mcacheLength = 5;
    private int mcacheGossip = 3;
    private Duration seenTtl = Duration.ofSeconds(120);
    private int maxSeen = 100_000;
    private Duration pruneBackoff = Duration.ofSeconds(60);
    private Duration unsubscribeBackoff = Duration.ofSeconds(10);
    private Duration graftFloodThreshold = Duration.ofSeconds(10);
    private int prunePeers = 16;
    private boolean doPx;
    private boolean floodPublish = true;
    private boolean emitSelf;
    private boolean allowPublishToZeroTopicPeers = true;
    private SignaturePolicy policy = SignaturePolicy.STRICT_SIGN;
    private int maxRpcSize = 1 << 20;
    private int maxTopicsPerRpc = 1000;
    private int maxMessagesPerRpc = 1000;
    private int maxIHaveIdsPerRpc = 5000;
    private int maxIWantIdsPerRpc = 5000;
    private int maxControlEntries = 5000;
    private int maxIHaveMessages = 10;
    private int maxIHaveLength = 5000;
    private int gossipRetransmission = 3;
    private int idontwantMinSize = 512;
    private int maxIdontwantIds = 512;
    private int maxTopicsPerPeer = 1000;
    private int outboundQueueSize = 256;
    private int inboundQueueBytes = 4 << 20;
    private MessageIdFunction messageIdFunction = MessageIdFunction.authorKeyAndSeqno();
    private List<Multiaddr> directPeers = List.of();
    private Duration directConnectInterval = Duration.ofMinutes(5);
    private int validationThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int validationQueueSize = 1024;
    private int validationConcurrency = -1;
    private int globalInboundQueueBytes = 64 << 20;
    private int maxPxConnects = 16;
    private int deliveryQueueSize = 4096;
    private int eventQueueSize = 4096;
    private PeerScoreParams score = PeerScoreParams.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Mesh degrees D, Dlo, Dhi and Dout; defaults 6, 4, 12, 2. */
    public Builder mesh(int d, int dlo, int dhi, int dout) {
      this.d = d;
      this.dlo = dlo;
      this.dhi = dhi;
      this.dout = dout;
      return this;
    }

    /** Peers receiving IHAVE per topic per heartbeat at least; default 6. */
    public Builder dlazy(int dlazy) {
      this.dlazy = dlazy;
      return this;
    }

    /** Heartbeat period; default 1 s. */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeat = interval;
      return this;
    }

    /** Fanout lifetime after the last publish; default 60 s. */
    public Builder fanoutTtl(Duration ttl) {
      this.fanoutTtl = ttl;
      return this;
    }

    /** Message cache windows and gossip windows; defaults 5 and 3. */
    public Builder messageCache(int length, int gossip) {
      this.mcacheLength = length;
      this.mcacheGossip = gossip;
      return this;
    }

    /** Seen cache lifetime and bound; defaults 120 s and 100,000 IDs. */
    public Builder seenCache(Duration ttl, int maxEntries) {
      this.seenTtl = ttl;
      this.maxSeen = maxEntries;
      return this;
    }

    /** Backoff after PRUNE and after unsubscribe; defaults 60 s and 10 s. */
    public Builder backoff(Duration prune, Duration unsubscribe) {
      this.pruneBackoff = prune;
      this.unsubscribeBackoff = unsubscribe;
      return this;
    }

    /** Whether PX is sent in PRUNE and followed; default false. */
    public Builder doPx(boolean doPx) {
      this.doPx = doPx;
      return this;
    }

    /** Whether own messages go to all topic peers; default true. */
    public Builder floodPublish(boolean floodPublish) {
      this.floodPublish = floodPublish;
      return this;
    }

    /**
     * Whether own published messages are also delivered to this node's handlers of the topic;
     * default false (lotus-sdk and js-libp2p). The handler sees {@link
     * PubsubMessage#receivedFrom()} equal to this host's peer ID.
     */
    public Builder emitSelf(boolean emitSelf) {
      this.emitSelf = emitSelf;
      return this;
    }

    /**
     * Whether a publish that reaches no peer succeeds (with no recipients); default true, as
     * lotus-sdk configures js-libp2p. When false, such a publish fails with {@link
     * NoPeersSubscribedException} unless the message is delivered to this node's own handler
     * ({@link #emitSelf}).
     */
    public Builder allowPublishToZeroTopicPeers(boolean allow) {
      this.allowPublishToZeroTopicPeers = allow;
      return this;
    }

    /** The signature policy; default {@link SignaturePolicy#STRICT_SIGN}. */
    public Builder signaturePolicy(SignaturePolicy policy) {
      this.policy = policy;
      return this;
    }

    /** Largest inbound RPC in bytes; default 1 MiB. */
    public Builder maxRpcSize(int bytes) {
      this.maxRpcSize = bytes;
      return this;
    }

    /**
     * Per-RPC limits: subscriptions, messages, IHAVE IDs, IWANT IDs, control entries; defaults
     * 1000, 1000, 5000, 5000, 5000. An RPC over any limit is dropped whole and its sender
     * penalised.
     */
    public Builder rpcLimits(int topics, int messages, int ihaveIds, int iwantIds, int control) {
      this.maxTopicsPerRpc = topics;
      this.maxMessagesPerRpc = messages;
      this.maxIHaveIdsPerRpc = ihaveIds;
      this.maxIWantIdsPerRpc = iwantIds;
      this.maxControlEntries = control;
      return this;
    }

    /** RPCs with IHAVE followed and IDs asked per peer per heartbeat; defaults 10 and 5000. */
    public Builder ihaveLimits(int messages, int ids) {
      this.maxIHaveMessages = messages;
      this.maxIHaveLength = ids;
      return this;
    }

    /** Minimum size triggering IDONTWANT; default 512 bytes. */
    public Builder idontwantMinSize(int bytes) {
      this.idontwantMinSize = bytes;
      return this;
    }

    /**
     * IDONTWANT message IDs remembered per peer (the oldest are forgotten first); default 512. 0
     * ignores IDONTWANT, which the v1.2 spec allows.
     */
    public Builder maxIdontwantIds(int ids) {
      this.maxIdontwantIds = ids;
      return this;
    }

    /**
     * Peers offered in the PX of one PRUNE, and PX entries taken from one received PRUNE (a PRUNE
     * with more is refused with its RPC); default 16.
     */
    public Builder prunePeers(int peers) {
      this.prunePeers = peers;
      return this;
    }

    /**
     * Gossip emission: the fraction of eligible peers that get IHAVE when more than Dlazy are
     * eligible, and how often one cached message is served to one peer on IWANT; defaults 0.25 and
     * 3.
     */
    public Builder gossip(double factor, int retransmission) {
      this.gossipFactor = factor;
      this.gossipRetransmission = retransmission;
      return this;
    }

    /** Topics one remote peer may join; default 1000. */
    public Builder maxTopicsPerPeer(int topics) {
      this.maxTopicsPerPeer = topics;
      return this;
    }

    /** RPCs queued per peer before new ones are dropped; default 256. */
    public Builder outboundQueueSize(int rpcs) {
      this.outboundQueueSize = rpcs;
      return this;
    }

    /**
     * Bytes of received RPCs from one peer that may wait for the router; default 4 MiB. Further
     * RPCs are dropped and counted by {@link GossipSub#droppedInboundRpcs()}.
     */
    public Builder inboundQueueBytes(int bytes) {
      this.inboundQueueBytes = bytes;
      return this;
    }

    /**
     * Messages per subscribed topic waiting for its handlers, and listener events waiting for the
     * listeners; defaults 4096 and 4096. Beyond them new ones are dropped and counted ({@link
     * GossipSubStats#droppedDeliveries()}, {@link GossipSubStats#droppedEvents()}).
     */
    public Builder callbackQueues(int deliveries, int events) {
      this.deliveryQueueSize = deliveries;
      this.eventQueueSize = events;
      return this;
    }

    /**
     * How message IDs are computed; default {@link MessageIdFunction#authorKeyAndSeqno()}
     * (js-libp2p). {@link MessageIdFunction#fromAndSeqno()} matches go-libp2p-pubsub's default.
     */
    public Builder messageIdFunction(MessageIdFunction fn) {
      this.messageIdFunction = Objects.requireNonNull(fn, "fn");
      return this;
    }

    /**
     * Peers with an explicit peering agreement (spec v1.1), each address ending in {@code
     * /p2p/<id>}, and how often missing ones are dialled again; defaults none and 5 minutes (the
     * spec's recommendation). They are dialled at start, get every message of the topics they
     * subscribe to, are never grafted (a GRAFT from one is answered with PRUNE) and their RPCs are
     * never graylisted. The agreement must be reciprocal.
     */
    public Builder directPeers(List<Multiaddr> peers, Duration reconnectInterval) {
      this.directPeers = Objects.requireNonNull(peers, "peers");
      this.directConnectInterval = reconnectInterval;
      return this;
    }

    /**
     * The validation pool: threads, messages waiting per topic, and messages of one topic validated
     * at once; defaults max(2, cores), 1024 and half the threads (at least 1). Messages arriving
     * while their topic's queue is full are dropped and counted ({@link
     * GossipSubStats#validationDropped()}), never blocking the router.
     */
    public Builder validation(int threads, int queuePerTopic, int concurrencyPerTopic) {
      this.validationThreads = threads;
      this.validationQueueSize = queuePerTopic;
      this.validationConcurrency = concurrencyPerTopic;
      return this;
    }

    /**
     * Bytes of received RPCs from all peers together that may wait for the router or for
     * validation; default 64 MiB. Must be at least {@link #inboundQueueBytes}. Further RPCs are
     * dropped and counted.
     */
    public Builder globalInboundQueueBytes(int bytes) {
      this.globalInboundQueueBytes = bytes;
      return this;
    }

    /** Peers learnt through PX being connected at once; default 16. Further ones are skipped. */
    public Builder maxPxConnects(int peers) {
      this.maxPxConnects = peers;
      return this;
    }

    /** Peer score parameters; default {@link PeerScoreParams#defaults()}. */
    public Builder score(PeerScoreParams score) {
      this.score = score;
      return this;
    }

    /** The router's clock; default the UTC system clock. */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Builds the config.
     *
     * @throws IllegalArgumentException when a value is out of range
     */
    public GossipSubConfig build() {
      return new GossipSubConfig(
          d,
          dlo,
          dhi,
          Math.min(dscore, d),
          dlazy,
          dout,
          gossipFactor,
          heartbeat,
          fanoutTtl,
          mcacheLength,
          mcacheGossip,
          seenTtl,
          maxSeen,
          pruneBackoff,
          unsubscribeBackoff,
          graftFloodThreshold,
          prunePeers,
          doPx,
          floodPublish,
          emitSelf,
          allowPublishToZeroTopicPeers,
          policy,
          maxRpcSize,
          maxTopicsPerRpc,
          maxMessagesPerRpc,
          maxIHaveIdsPerRpc,
          maxIWantIdsPerRpc,
          maxControlEntries,
          maxIHaveMessages,
          maxIHaveLength,
          gossipRetransmission,
          idontwantMinSize,
          maxIdontwantIds,
          maxTopicsPerPeer,
          outboundQueueSize,
          inboundQueueBytes,
          messageIdFunction,
          directPeers,
          directConnectInterval,
          validationThreads,
          validationQueueSize,
          validationConcurrency > 0 ? validationConcurrency : Math.max(1, validationThreads / 2),
          globalInboundQueueBytes,
          maxPxConnects,
          deliveryQueueSize,
          eventQueueSize,
          score,
          clock);
    }
  }
}
