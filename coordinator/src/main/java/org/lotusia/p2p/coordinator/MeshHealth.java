package org.lotusia.p2p.coordinator;

import java.time.Instant;

/**
 * The last check of one subscribed topic's mesh (lotus-sdk's {@code TopicMeshHealth}, measured on
 * the real GossipSub mesh rather than the subscriber count).
 *
 * @param topic the topic
 * @param meshPeers peers in this node's mesh for it
 * @param subscribers peers known to be subscribed to it
 * @param healthy whether {@code meshPeers} reaches the configured minimum
 * @param checkedAt when it was measured
 */
public record MeshHealth(
    String topic, int meshPeers, int subscribers, boolean healthy, Instant checkedAt) {}
