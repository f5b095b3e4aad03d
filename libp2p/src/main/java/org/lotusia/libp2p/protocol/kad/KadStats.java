package org.lotusia.libp2p.protocol.kad;

import java.util.List;

/**
 * A snapshot of a {@link KadDht}'s state and counters, from {@link KadDht#stats()}. Counters count
 * since the DHT was created and never go down.
 *
 * @param mode whether the node serves the protocol
 * @param routingTableSize peers in the routing table
 * @param bucketSizes peers per bucket, bucket 0 (peers sharing no leading bit with us) first
 * @param storedRecords records in the local store (ours and those stored for others)
 * @param providerKeys keys with at least one provider record in the local store
 * @param queriesStarted lookups started (get, put, provide, find and refresh lookups)
 * @param queriesSucceeded lookups that completed with a result
 * @param queriesFailed lookups that failed or timed out
 * @param requestsServed inbound requests answered
 * @param requestsFailed outbound requests that failed, timed out or were answered badly
 * @param validatorRejected inbound PUT_VALUEs and answers to GET_VALUE whose record a validator
 *     (or the key's namespace rule) rejected
 * @param selectorKeptExisting inbound PUT_VALUEs refused because the selector preferred the record
 *     already stored
 * @param inboundFilterRefused inbound PUT_VALUEs refused by the {@link InboundRecordFilter}
 * @param recordLimitRefused inbound PUT_VALUEs refused by a record store limit
 * @param providerLimitRefused inbound ADD_PROVIDERs refused by a provider store limit
 * @param protocolViolations inbound streams reset for a malformed, oversized or excess request
 * @param correctionsSent correcting PUT_VALUEs sent to peers that held a value the selector ranks
 *     below the one a get chose
 * @param republished records and provider announcements this node sent again before they expire
 * @param listenerEventsDropped routing-table events not delivered because listeners fell behind
 */
public record KadStats(
    Mode mode,
    int routingTableSize,
    List<Integer> bucketSizes,
    int storedRecords,
    int providerKeys,
    long queriesStarted,
    long queriesSucceeded,
    long queriesFailed,
    long requestsServed,
    long requestsFailed,
    long validatorRejected,
    long selectorKeptExisting,
    long inboundFilterRefused,
    long recordLimitRefused,
    long providerLimitRefused,
    long protocolViolations,
    long correctionsSent,
    long republished,
    long listenerEventsDropped) {

  /** Whether a node serves the DHT protocol (server) or only queries (client). */
  public enum Mode {
    /** Serves the protocol; other peers add it to their routing tables. */
    SERVER,
    /** Only queries; does not serve the protocol. */
    CLIENT
  }

  /** Copies the bucket sizes. */
  public KadStats {
    bucketSizes = List.copyOf(bucketSizes);
  }
}
