package org.lotusia.libp2p.protocol.pubsub;

import java.time.Duration;

/**
 * Per-topic peer score parameters of GossipSub v1.1 (P1 to P4), per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#topic-parameter-calculation-and-decay.
 * Weights of P3, P3b and P4 must be negative or zero. Decays are multipliers applied every
 * heartbeat.
 *
 * @param topicWeight weight of this topic's score in the total
 * @param timeInMeshWeight P1 weight (positive)
 * @param timeInMeshQuantum P1 time unit
 * @param timeInMeshCap P1 cap in quanta
 * @param firstMessageDeliveriesWeight P2 weight (positive)
 * @param firstMessageDeliveriesDecay P2 decay
 * @param firstMessageDeliveriesCap P2 counter cap
 * @param meshMessageDeliveriesWeight P3 weight (negative)
 * @param meshMessageDeliveriesDecay P3 decay
 * @param meshMessageDeliveriesCap P3 counter cap
 * @param meshMessageDeliveriesThreshold P3 threshold below which the deficit is penalised
 * @param meshMessageDeliveriesActivation time in mesh before P3 applies
 * @param meshFailurePenaltyWeight P3b weight (negative)
 * @param meshFailurePenaltyDecay P3b decay
 * @param invalidMessageDeliveriesWeight P4 weight (negative)
 * @param invalidMessageDeliveriesDecay P4 decay
 */
public record TopicScoreParams(
    double topicWeight,
    double timeInMeshWeight,
    Duration timeInMeshQuantum,
    double timeInMeshCap,
    double firstMessageDeliveriesWeight,
    double firstMessageDeliveriesDecay,
    double firstMessageDeliveriesCap,
    double meshMessageDeliveriesWeight,
    double meshMessageDeliveriesDecay,
    double meshMessageDeliveriesCap,
    double meshMessageDeliveriesThreshold,
    Duration meshMessageDeliveriesActivation,
    double meshFailurePenaltyWeight,
    double meshFailurePenaltyDecay,
    double invalidMessageDeliveriesWeight,
    double invalidMessageDeliveriesDecay) {

  /** Checks signs and ranges. */
  public TopicScoreParams {
    if (topicWeight < 0 || timeInMeshWeight < 0 || firstMessageDeliveriesWeight < 0) {
      throw new IllegalArgumentException("topic, P1 and P2 weights must be >= 0");
    }
    if (meshMessageDeliveriesWeight > 0
        || meshFailurePenaltyWeight > 0
        || invalidMessageDeliveriesWeight > 0) {
      throw new IllegalArgumentException("P3, P3b and P4 weights must be <= 0");
    }
    if (timeInMeshQuantum.isZero() || timeInMeshQuantum.isNegative()) {
      throw new IllegalArgumentException("timeInMeshQuantum must be positive");
    }
  }

  /**
   * The defaults of js-libp2p gossipsub ({@code defaultTopicScoreParams}): topic weight 0.5, P1 1
   * per second capped at 3600, P2 1 (decay 0.5, cap 2000), P3 -1 (decay 0.5, cap 100, threshold 20,
   * activation 5 s), P3b -1 (decay 0.5), P4 -1 (decay 0.3).
   */
  public static TopicScoreParams defaults() {
    return new TopicScoreParams(
        0.5,
        1,
        Duration.ofSeconds(1),
        3600,
        1,
        0.5,
        2000,
        -1,
        0.5,
        100,
        20,
        Duration.ofSeconds(5),
        -1,
        0.5,
        -1,
        0.3);
  }
}
