package org.lotusia.libp2p.protocol.pubsub;

import java.util.Map;
import java.util.Objects;

/**
 * Peer score parameters and thresholds of GossipSub v1.1, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#peer-scoring.
 * Topics absent from {@code topics} contribute nothing (as in js-libp2p, whose default has no
 * topics); P5 (application score) and P6 (IP colocation) are not implemented.
 *
 * @param topics per-topic parameters (P1 to P4)
 * @param topicScoreCap cap of the summed positive topic score, 0 for none
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
    double behaviourPenaltyWeight,
    double behaviourPenaltyThreshold,
    double behaviourPenaltyDecay,
    double decayToZero,
    double gossipThreshold,
    double publishThreshold,
    double graylistThreshold,
    double acceptPxThreshold,
    double opportunisticGraftThreshold) {

  /** Checks the thresholds' order, as the spec requires. */
  public PeerScoreParams {
    topics = Map.copyOf(Objects.requireNonNull(topics, "topics"));
    if (behaviourPenaltyWeight > 0) {
      throw new IllegalArgumentException("behaviourPenaltyWeight must be <= 0");
    }
    if (!(gossipThreshold <= 0
        && publishThreshold <= gossipThreshold
        && graylistThreshold < publishThreshold
        && acceptPxThreshold >= 0
        && opportunisticGraftThreshold >= 0)) {
      throw new IllegalArgumentException(
          "need graylist < publish <= gossip <= 0 <= acceptPx, opportunisticGraft thresholds");
    }
  }

  /**
   * The js-libp2p defaults: no topics, topic cap 10, P7 weight -10 (threshold 0, decay 0.2),
   * decayToZero 0.1, thresholds gossip -10, publish -50, graylist -80, acceptPX 10, opportunistic
   * graft 20.
   */
  public static PeerScoreParams defaults() {
    return new PeerScoreParams(Map.of(), 10, -10, 0, 0.2, 0.1, -10, -50, -80, 10, 20);
  }

  /** A copy with {@code params} for {@code topic}. */
  public PeerScoreParams withTopic(String topic, TopicScoreParams params) {
    Map<String, TopicScoreParams> m = new java.util.HashMap<>(topics);
    m.put(topic, params);
    return new PeerScoreParams(
        m,
        topicScoreCap,
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
