package org.lotusia.libp2p.protocol.dcutr;

import java.time.Duration;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;

/**
 * How one connection upgrade ended, on the side that drove it (the one that received the relayed
 * connection).
 *
 * @param peer the remote peer
 * @param direct whether a direct connection was made
 * @param unilateral whether it came from a plain dial to the remote's public address, before any
 *     hole punch
 * @param attempts hole-punch rounds made (0 for a unilateral upgrade)
 * @param elapsed time from the relayed connection to the direct one, or to giving up
 * @param rtt the last relay round trip measured, or {@link Duration#ZERO}
 * @param remoteAddress the direct connection's remote address, or {@code null}
 * @param detail what happened, for logs
 */
public record DcutrResult(
    PeerId peer,
    boolean direct,
    boolean unilateral,
    int attempts,
    Duration elapsed,
    Duration rtt,
    Multiaddr remoteAddress,
    String detail) {}
