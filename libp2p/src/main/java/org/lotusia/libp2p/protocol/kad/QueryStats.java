package org.lotusia.libp2p.protocol.kad;

import java.time.Duration;

/**
 * How one lookup went; see {@link QueryListener}.
 *
 * @param rounds the highest round asked: the hops the lookup took (0 when nobody was asked)
 * @param peersQueried peers asked
 * @param peersSucceeded peers that answered
 * @param peersFailed peers that failed or timed out
 * @param elapsed time from start to end, by the DHT's clock
 * @param stoppedEarly whether it stopped before the {@code k} closest peers had all answered (a
 *     get that reached its quorum, a find that met its target, or the lookup timeout)
 */
public record QueryStats(
    int rounds,
    int peersQueried,
    int peersSucceeded,
    int peersFailed,
    Duration elapsed,
    boolean stoppedEarly) {}
