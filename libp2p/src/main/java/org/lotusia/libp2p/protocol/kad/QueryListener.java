package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import org.lotusia.libp2p.PeerId;

/**
 * Follows one lookup as it runs: whom it asks, who answers or fails, and how it ended. Pass one with
 * {@link GetOptions#withListener}, {@link PutOptions#withListener} or {@link
 * KadDht#getClosestPeers(byte[], QueryListener)}.
 *
 * <p>Rounds: the peers a lookup starts with (from the routing table) are asked in round 1; a peer
 * first named in an answer from a round-{@code r} peer is asked in round {@code r + 1}. So the
 * rounds of a lookup are its hops through the network.
 *
 * <p>Threading: called on the host's callback executor, one event at a time and in order, never on
 * the DHT's thread; {@link #finished} comes last, before the operation's future completes. A
 * listener that throws is logged and ignored.
 */
public interface QueryListener {

  /** A request is sent to {@code peer} in round {@code round}. */
  default void peerQueried(PeerId peer, int round) {}

  /** {@code peer} answered, naming {@code closer} peers. */
  default void peerResponded(PeerId peer, int round, List<PeerId> closer) {}

  /** Asking {@code peer} failed (error, reset, timeout or a bad answer). */
  default void peerFailed(PeerId peer, int round) {}

  /** The lookup ended. */
  default void finished(QueryStats stats) {}
}
