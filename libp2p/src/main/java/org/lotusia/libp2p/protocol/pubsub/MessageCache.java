package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;

/**
 * The message cache (mcache) of gossipsub v1.0: messages of the last {@code length} heartbeats, of
 * which the last {@code gossip} windows are advertised in IHAVE, with a per-peer count of how often
 * each was served on IWANT. Not thread-safe; owned by the router.
 */
final class MessageCache {
  private record Entry(Message message, String topic, Map<PeerId, Integer> served) {}

  private record Key(ByteString id, String topic) {}

  private final Map<ByteString, Entry> messages = new HashMap<>();
  private final Deque<List<Key>> windows = new ArrayDeque<>();
  private final int length;
  private final int gossip;

  MessageCache(int length, int gossip) {
    this.length = length;
    this.gossip = gossip;
    windows.addFirst(new ArrayList<>());
  }

  void put(ByteString id, Message m) {
    if (messages.putIfAbsent(id, new Entry(m, m.getTopic(), new HashMap<>())) == null) {
      windows.peekFirst().add(new Key(id, m.getTopic()));
    }
  }

  Message get(ByteString id) {
    Entry e = messages.get(id);
    return e == null ? null : e.message();
  }

  /**
   * The message for an IWANT from {@code peer}, or null when unknown or already served {@code
   * limit} times to that peer.
   */
  Message getForPeer(ByteString id, PeerId peer, int limit) {
    Entry e = messages.get(id);
    if (e == null) {
      return null;
    }
    int n = e.served().merge(peer, 1, Integer::sum);
    return n > limit ? null : e.message();
  }

  /** IDs of {@code topic} in the gossip windows, newest first. */
  List<ByteString> gossipIds(String topic) {
    List<ByteString> out = new ArrayList<>();
    int i = 0;
    for (List<Key> w : windows) {
      if (i++ >= gossip) {
        break;
      }
      for (Key k : w) {
        if (k.topic().equals(topic)) {
          out.add(k.id());
        }
      }
    }
    return out;
  }

  /** Starts a new window and forgets the oldest beyond {@code length}. */
  void shift() {
    windows.addFirst(new ArrayList<>());
    while (windows.size() > length) {
      for (Key k : windows.removeLast()) {
        messages.remove(k.id());
      }
    }
  }

  int size() {
    return messages.size();
  }
}
