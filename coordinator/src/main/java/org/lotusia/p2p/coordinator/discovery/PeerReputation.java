package org.lotusia.p2p.coordinator.discovery;

/**
 * The reputation a validator keeps for one peer (lotus-sdk's {@code ReputationData} without the
 * history list).
 *
 * @param peerId the peer
 * @param score from 0 to 100
 * @param successes the weight of its successes
 * @param failures the weight of its failures
 * @param lastInteraction ms since the epoch of the last change
 */
public record PeerReputation(
    String peerId, double score, double successes, double failures, long lastInteraction) {}
