package org.lotusia.libp2p.protocol.pubsub;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.lotusia.libp2p.PeerId;

/**
 * Peer score parameters and thresholds of GossipSub v1.1, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#peer-scoring.
 * Topics absent from {@code topics} contribute nothing to P1 to P3 (as in js-libp2p, whose default
 * has no topics); their invalid messages count in one global P4 counter. Build with {@link
 * #builder()}; {@link #defaults()} are js-libp2p's, plus that global P4.
 *
 * @param topics per-topic parameters (P1 to P4)
 * @param topicScoreCap cap of the summed positive topic score, 0 for none
 * @param appSpecificScore P5, the application's view of a peer; user code, called on the callback
 *     executor once per heartbeat for every peer (never on the router thread), so the value in use
 *     lags by up to one heartbeat; a function that throws counts as 0
 * @param appSpecificWeight P5 weight (&gt;= 0)
 * @param ipColocationFactorWeight P6 weight (&lt;= 0)
 * @param ipColocationFactorThreshold P6: connected peers per IP address charged nothing (&gt;= 1);
 *     each one more costs the square of the surplus times the weight, for every peer at that
 *     address
 * @param ipColocationFactorWhitelist P6: IP addresses (in multiaddr text form, e.g. {@code
 *     127.0.0.1}) never charged
 * @param invalidMessageWeight P4 for topics without {@link TopicScoreParams}: the weight (&lt;= 0)
 *     of the square of one global counter of invalid messages, so that spam is penalised without
 *     per-topic tuning
 * @param invalidMessageDecay decay per heartbeat of that counter, in (0, 1)
 * @param meshMessageDeliveriesWindow P3: a copy that arrives while the first is validated, or at
 *     most this long after, counts as a near-first delivery (the spec's window, one for all topics)
 * @param behaviourPenaltyWeight P7 weight (negative)
 * @param behaviourPenaltyThreshold P7 counter value below which nothing is charged
 * @param behaviourPenaltyDecay P7 decay per heartbeat
 * @param decayToZero counters below this become 0
 * @param gossipThreshold below it no gossip is exchanged with the peer (&lt;= 0)
 * @param publishThreshold below it the peer gets no flood published messages (&lt;= gossip)
 * @param graylistThreshold below it every RPC from the peer is ignored (&lt; publish)
 * @param acceptPxThreshold PX in a PRUNE is followed only from peers at or above it (&gt;= 0)
 * @param opportunisticGraftThreshold when the median mesh score is below it, the heartbeat grafts
 *     better scored peers every 60 heartbeats (&gt;= 0)
 */
public record PeerScoreParams(
    Map<String, TopicScoreParams> topics,
    double topicScoreCap,
    ToDoubleFunction<PeerId> appSpecificScore,
    double appSpecificWeight,
    double ipColocationFactorWeight,
    double ipColocationFactorThreshold,
    Set<String> ipColocationFactorWhitelist,
    double invalidMessageWeight,
    double invalidMessageDecay,
    Duration meshMessageDeliveriesWindow,
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    double decayToZero,
    double gossipThreshold,
    double publishThreshold,
    double graylistThreshold,
    double acceptPxThreshold,
    double opportunisticGraftThreshold) {

  /** The P5 function that gives every peer 0: no application score. */
  public static final ToDoubleFunction<PeerId> NO_APP_SCORE = p -> 0;

  /** Checks the weights and the thresholds' order, as the spec requires. */
  public PeerScoreParams {
    topics = Map.copyOf(Objects.requireNonNull(topics, "topics"));
    Objects.requireNonNull(appSpecificScore, "appSpecificScore");
    if (appSpecificWeight < 0 || !Double.isFinite(appSpecificWeight)) {
      throw new IllegalArgumentException(
          "appSpecificWeight must be finite and >= 0, got " + appSpecificWeight);
    }
    Objects.requireNonNull(ipColocationFactorWhitelist, "ipColocationFactorWhitelist");
    ipColocationFactorWhitelist = Set.copyOf(ipColocationFactorWhitelist);
    if (ipColocationFactorWeight > 0 || ipColocationFactorThreshold < 1) {
      throw new IllegalArgumentException(
          "need ipColocationFactorWeight <= 0 and ipColocationFactorThreshold >= 1, got "
              + ipColocationFactorWeight
              + " and "
              + ipColocationFactorThreshold);
    }
    if (invalidMessageWeight > 0 || !(invalidMessageDecay > 0 && invalidMessageDecay < 1)) {
      throw new IllegalArgumentException(
          "need invalidMessageWeight <= 0 and invalidMessageDecay in (0, 1), got "
              + invalidMessageWeight
              + " and "
              + invalidMessageDecay);
    }
    Objects.requireNonNull(meshMessageDeliveriesWindow, "meshMessageDeliveriesWindow");
    if (meshMessageDeliveriesWindow.isNegative()) {
      throw new IllegalArgumentException(
          "meshMessageDeliveriesWindow must not be negative, got " + meshMessageDeliveriesWindow);
    }
    if (behaviourPenaltyWeight > 0) {
      throw new IllegalArgumentException(
          "behaviourPenaltyWeight must be <= 0, got " + behaviourPenaltyWeight);
    }
    if (!(behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1)) {
      throw new IllegalArgumentException(
          "behaviourPenaltyDecay must be in (0, 1), got " + behaviourPenaltyDecay);
    }
    if (!(gossipThreshold <= 0
        && publishThreshold <= gossipThreshold
        && graylistThreshold < publishThreshold
        && acceptPxThreshold >= 0
        && opportunisticGraftThreshold >= 0)) {
      throw new IllegalArgumentException(
          "need graylist < publish <= gossip <= 0 <= acceptPx and opportunisticGraft >= 0, got"
              + " graylist="
              + graylistThreshold
              + " publish="
              + publishThreshold
              + " gossip="
              + gossipThreshold
              + " acceptPx="
              + acceptPxThreshold
              + " opportunisticGraft="
              + opportunisticGraftThreshold);
    }
  }

  /** The js-libp2p defaults; see {@link Builder} for each value. */
  public static PeerScoreParams defaults() {
    return builder().build();
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.topics.putAll(topics);
    b.topicScoreCap = topicScoreCap;
    b.appSpecificScore = appSpecificScore;
    b.appSpecificWeight = appSpecificWeight;
    b.ipColocationFactorWeight = ipColocationFactorWeight;
    b.ipColocationFactorThreshold = ipColocationFactorThreshold;
    b.ipColocationFactorWhitelist = ipColocationFactorWhitelist;
    b.invalidMessageWeight = invalidMessageWeight;
    b.invalidMessageDecay = invalidMessageDecay;
    b.meshMessageDeliveriesWindow = meshMessageDeliveriesWindow;
    b.behaviourPenaltyWeight = behaviourPenaltyWeight;
    b.behaviourPenaltyThreshold = behaviourPenaltyThreshold;
    b.behaviourPenaltyDecay = behaviourPenaltyDecay;
    b.decayToZero = decayToZero;
    b.gossipThreshold = gossipThreshold;
    b.publishThreshold = publishThreshold;
    b.graylistThreshold = graylistThreshold;
    b.acceptPxThreshold = acceptPxThreshold;
    b.opportunisticGraftThreshold = opportunisticGraftThreshold;
    return b;
  }

  /** A copy with {@code params} for {@code topic}. */
  public PeerScoreParams withTopic(String topic, TopicScoreParams params) {
    return toBuilder().topic(topic, params).build();
  }

  /** Whether a P5 function other than {@link #NO_APP_SCORE} is set. */
  boolean hasAppScore() {
    return appSpecificScore != NO_APP_SCORE && appSpecificWeight != 0;
  }

  /** Builds {@link PeerScoreParams}; every setter documents its default. Not thread-safe. */
  public static final class Builder {
    private final Map<String, TopicScoreParams> topics = new HashMap<>();
    private double topicScoreCap = 10;
    private ToDoubleFunction<PeerId> appSpecificScore = NO_APP_SCORE;
    private double appSpecificWeight = 10;
    private double ipColocationFactorWeight = -5;
    private double ipColocationFactorThreshold = 10;
    private Set<String> ipColocationFactorWhitelist = Set.of("127.0.0.1", "::1");
    private double invalidMessageWeight = -10;
    private double invalidMessageDecay = 0.9;
    private Duration meshMessageDeliveriesWindow = Duration.ofMillis(10);
    private double behaviourPenaltyWeight = -10;
    private double behaviourPenaltyThreshold = 0;
    private double behaviourPenaltyDecay = 0.2;
    private double decayToZero = 0.1;
    private double gossipThreshold = -10;
    private double publishThreshold = -50;
    private double graylistThreshold = -80;
    private double acceptPxThreshold = 10;
    private double opportunisticGraftThreshold = 20;

    private Builder() {}

    /** Scores behaviour in {@code topic} (P1 to P4) with {@code params}; default no topics. */
    public Builder topic(String topic, TopicScoreParams params) {
      topics.put(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(params, "params"));
      return this;
    }

    /** Cap of the summed positive topic score, 0 for none; default 10. */
    public Builder topicScoreCap(double cap) {
      this.topicScoreCap = cap;
      return this;
    }

    /**
     * P5: the application's score of a peer and its weight; default none ({@link #NO_APP_SCORE}),
     * weight 10. The function is user code: it runs on the service's callback executor once per
     * heartbeat for every connected pubsub peer, so a slow function delays only the next refresh.
     * It must be thread-safe; a function that throws gives that peer 0 (logged).
     */
    public Builder appSpecificScore(ToDoubleFunction<PeerId> score, double weight) {
      this.appSpecificScore = Objects.requireNonNull(score, "score");
      this.appSpecificWeight = weight;
      return this;
    }

    /**
     * P6, the IP colocation factor: weight, the number of connected peers one IP address may have
     * before each of them is charged, and addresses never charged; defaults -5, 10 (js-libp2p) and
     * the loopback addresses {@code 127.0.0.1} and {@code ::1} (local processes and in-memory test
     * networks share them).
     */
    public Builder ipColocationFactor(double weight, double threshold, Set<String> whitelist) {
      this.ipColocationFactorWeight = weight;
      this.ipColocationFactorThreshold = threshold;
      this.ipColocationFactorWhitelist = Objects.requireNonNull(whitelist, "whitelist");
      return this;
    }

    /**
     * P4 for topics without {@link TopicScoreParams}: weight of the squared count of invalid
     * messages, and its decay per heartbeat; defaults -10 and 0.9. With the default thresholds a
     * peer that sent 3 invalid messages in quick succession is graylisted; one invalid message
     * takes it out of meshes until the counter decays (about 22 heartbeats). js-libp2p and go
     * charge nothing for topics without parameters; weight 0 restores that.
     */
    public Builder invalidMessagePenalty(double weight, double decay) {
      this.invalidMessageWeight = weight;
      this.invalidMessageDecay = decay;
      return this;
    }

    /**
     * P3's near-first window: a copy arriving while the first one is validated or at most this long
     * after still counts as a mesh delivery; default 10 ms (js-libp2p's topic default).
     */
    public Builder meshMessageDeliveriesWindow(Duration window) {
      this.meshMessageDeliveriesWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /** P7 weight, threshold and decay per heartbeat; defaults -10, 0 and 0.2. */
    public Builder behaviourPenalty(double weight, double threshold, double decay) {
      this.behaviourPenaltyWeight = weight;
      this.behaviourPenaltyThreshold = threshold;
      this.behaviourPenaltyDecay = decay;
      return this;
    }

    /** Counters that decay below this become 0; default 0.1. */
    public Builder decayToZero(double value) {
      this.decayToZero = value;
      return this;
    }

    /**
     * The thresholds: gossip, publish, graylist, accept PX and opportunistic graft; defaults -10,
     * -50, -80, 10 and 20.
     */
    public Builder thresholds(
        double gossip, double publish, double graylist, double acceptPx, double opportunistic) {
      this.gossipThreshold = gossip;
      this.publishThreshold = publish;
      this.graylistThreshold = graylist;
      this.acceptPxThreshold = acceptPx;
      this.opportunisticGraftThreshold = opportunistic;
      return this;
    }

    /**
     * Builds the parameters.
     *
     * @throws IllegalArgumentException when a weight has the wrong sign or the thresholds are out
     *     of order
     */
    public PeerScoreParams build() {
      return new PeerScoreParams(
          topics,
          topicScoreCap,
          appSpecificScore,
          appSpecificWeight,
          ipColocationFactorWeight,
          ipColocationFactorThreshold,
          ipColocationFactorWhitelist,
          invalidMessageWeight,
          invalidMessageDecay,
          meshMessageDeliveriesWindow,
          behaviourPenaltyWeight,
          behaviourPenaltyThreshold,
          behaviourPenaltyDecay,
          decayToZero,
          gossipThreshold,
          publishThreshold,
          graylistThreshold,
          acceptPxThreshold,
          opportunisticGraftThreshold);
    }
  }
}
