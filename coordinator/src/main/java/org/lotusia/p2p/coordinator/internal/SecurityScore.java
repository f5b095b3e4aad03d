package org.lotusia.p2p.coordinator.internal;

import java.util.function.ToDoubleFunction;
import org.lotusia.libp2p.PeerId;
import org.lotusia.p2p.security.CoreSecurityManager;

/**
 * GossipSub's application-specific score (P5, gossipsub v1.1 "Peer Scoring") fed from the security
 * manager's view of a peer: 0 for a peer in good standing, minus its share of the warnings that
 * lead to a temporary ban (-1 at {@code warningsBeforeTempBan}), and {@link #BANNED} for a banned
 * peer. With {@link #WEIGHT} 10 a warned peer loses at most 10 points (down to GossipSub's default
 * gossip threshold of -10, so it stops receiving gossip before it is banned) and a banned peer
 * that is still connected scores -100, below the default graylist threshold of -80, so its RPCs
 * are ignored until the ban takes effect on the connection.
 *
 * <p>Thread-safe: GossipSub calls it on the host's callback executor once per heartbeat for every
 * pubsub peer; the security manager's reads are cheap and synchronized.
 */
public final class SecurityScore implements ToDoubleFunction<PeerId> {

  /** The P5 weight the coordinator configures. */
  public static final double WEIGHT = 10;

  /** The value of a banned peer: weighted, -100. */
  public static final double BANNED = -10;

  private final CoreSecurityManager security;

  /**
   * Creates the function.
   *
   * @param security the security manager it reads
   */
  public SecurityScore(CoreSecurityManager security) {
    this.security = security;
  }

  @Override
  public double applyAsDouble(PeerId peer) {
    String id = peer.toBase58();
    if (!security.isAllowed(id)) {
      return BANNED;
    }
    int warnings = security.warningCount(id);
    if (warnings <= 0) {
      return 0;
    }
    int toTempBan = security.limits().warningsBeforeTempBan();
    return -Math.min(1.0, (double) warnings / toTempBan);
  }
}
