package org.lotusia.libp2p.protocol.pubsub;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.PeerId;

/**
 * The signed peer records of connected pubsub peers, as their identify delivered them (the host
 * verified each), kept to be passed on in PX. At most {@code max} are kept; a record of a peer
 * beyond that is not stored. Forgotten when the peer disconnects. Thread-safe.
 */
final class PeerRecords {
  private final Map<PeerId, byte[]> records = new ConcurrentHashMap<>();
  private final int max;

  PeerRecords(int max) {
    this.max = max;
  }

  /** Stores or replaces the record of {@code peer}. */
  void put(PeerId peer, byte[] envelope) {
    if (records.size() < max || records.containsKey(peer)) {
      records.put(peer, envelope.clone());
    }
  }

  Optional<byte[]> get(PeerId peer) {
    return Optional.ofNullable(records.get(peer));
  }

  void remove(PeerId peer) {
    records.remove(peer);
  }

  int size() {
    return records.size();
  }
}
