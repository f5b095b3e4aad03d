package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.lotusia.libp2p.PeerId;

/**
 * IWANT promises, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#spam-protection-measures:
 * when we answer an IHAVE with IWANT, one of the requested IDs (chosen at random) must arrive
 * within the follow-up time; each promise broken that way costs the advertising peer one P7 point.
 * Bounded by the IDs asked per peer per heartbeat. Not thread-safe; part of the router.
 */
final class GossipPromises {
  private final Map<ByteString, Map<PeerId, Long>> promises = new HashMap<>();
  private final long followupMillis;
  private final Random random;

  GossipPromises(long followupMillis, Random random) {
    this.followupMillis = followupMillis;
    this.random = random;
  }

  /** Records that {@code peer} promised one of {@code ids} by sending IHAVE. */
  void add(PeerId peer, List<ByteString> ids, long now) {
    if (ids.isEmpty()) {
      return;
    }
    ByteString id = ids.get(random.nextInt(ids.size()));
    promises.computeIfAbsent(id, k -> new HashMap<>()).putIfAbsent(peer, now + followupMillis);
  }

  /** A valid message arrived (from anyone): every promise for it is kept. */
  void delivered(ByteString id) {
    promises.remove(id);
  }

  /** Removes the promises of a peer that left. */
  void removePeer(PeerId peer) {
    promises.values().removeIf(m -> m.remove(peer) != null && m.isEmpty());
  }

  /** Removes expired promises and returns how many each peer broke. */
  Map<PeerId, Integer> expire(long now) {
    Map<PeerId, Integer> broken = new HashMap<>();
    for (Iterator<Map<PeerId, Long>> it = promises.values().iterator(); it.hasNext(); ) {
      Map<PeerId, Long> m = it.next();
      for (Iterator<Map.Entry<PeerId, Long>> e = m.entrySet().iterator(); e.hasNext(); ) {
        Map.Entry<PeerId, Long> p = e.next();
        if (p.getValue() <= now) {
          broken.merge(p.getKey(), 1, Integer::sum);
          e.remove();
        }
      }
      if (m.isEmpty()) {
        it.remove();
      }
    }
    return broken;
  }

  int size() {
    return promises.size();
  }
}
