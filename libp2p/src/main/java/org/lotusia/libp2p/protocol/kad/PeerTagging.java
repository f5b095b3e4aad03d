package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;

/**
 * Tells the host's connection trimmer which connections the DHT needs: every routing-table peer
 * carries the tag {@value #TAG} with the value {@value #VALUE} (go-libp2p's value for bucket
 * peers), and loses it when it leaves the table. Peers the DHT only talked to for a query (asked
 * during a lookup, sent a PUT_VALUE) carry no DHT tag, so their connections have the lowest value
 * and the trimmer closes them first, before any routing-table peer's.
 *
 * <p>Passes every change on to the next observer (the listener hand-over). Called on the DHT's
 * thread; {@link #untagAll()} from any thread when the DHT closes.
 */
final class PeerTagging implements RoutingTable.Observer {
  /** The tag routing-table peers carry. */
  static final String TAG = "kad-dht";

  /** The tag's value: routing-table peers outrank untagged (query-only) peers. */
  static final int VALUE = 5;

  private final Host host;
  private final RoutingTable.Observer next;
  private final Set<PeerId> tagged = ConcurrentHashMap.newKeySet();

  PeerTagging(Host host, RoutingTable.Observer next) {
    this.host = host;
    this.next = next;
  }

  @Override
  public void added(PeerId peer) {
    host.tagPeer(peer, TAG, VALUE);
    tagged.add(peer);
    next.added(peer);
  }

  @Override
  public void removed(PeerId peer) {
    if (tagged.remove(peer)) {
      host.untagPeer(peer, TAG);
    }
    next.removed(peer);
  }

  /** Removes the tag from every peer that carries it; the DHT is closing. */
  void untagAll() {
    for (PeerId p : List.copyOf(tagged)) {
      tagged.remove(p);
      host.untagPeer(p, TAG);
    }
  }
}
