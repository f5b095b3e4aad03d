package org.lotusia.libp2p.protocol.kad;

import org.lotusia.libp2p.PeerId;

/**
 * Hears changes of a {@link KadDht}'s routing table. Register with {@link
 * KadDht#addListener(KadListener)}.
 *
 * <p>Threading: events are delivered on the host's callback executor ({@link
 * org.lotusia.libp2p.Host#callbackExecutor()}), one at a time and in the order the table changed,
 * never on the DHT's own thread, so a slow listener cannot stall lookups. A listener that throws is
 * logged and keeps receiving events. When a listener falls so far behind that 10,000
 * events wait for delivery, further events are dropped and counted in {@link
 * KadStats#listenerEventsDropped()} rather than queued without bound.
 */
public interface KadListener {

  /** {@code peer} entered the routing table. */
  default void peerAdded(PeerId peer) {}

  /** {@code peer} left the routing table (evicted after a failed ping, or the DHT removed it). */
  default void peerRemoved(PeerId peer) {}

  /**
   * A lookup (of a get, put, provide, find or refresh) ended; counted in {@link
   * KadStats#queriesSucceeded()} or {@link KadStats#queriesFailed()} too.
   *
   * @param elapsed its duration by the DHT's clock
   * @param succeeded whether it completed with a result (false: failed or timed out)
   */
  default void queryCompleted(java.time.Duration elapsed, boolean succeeded) {}
}
