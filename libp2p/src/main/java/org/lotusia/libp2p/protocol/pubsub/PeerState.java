package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the router knows about one remote pubsub peer: the protocol it speaks, the direction of the
 * connection its stream runs on, its IP address (for P6), its topics, the IDs it said it does not
 * want (IDONTWANT, bounded, oldest forgotten first) and its IHAVE budget of the current heartbeat.
 * Owned by {@link PeerTable}; not thread-safe.
 */
final class PeerState {
  private final PeerKind kind;
  private final boolean outbound;
  private final String ip;
  private final boolean direct;
  private final Set<String> topics = new HashSet<>();
  private final LinkedHashSet<ByteString> dontWant = new LinkedHashSet<>();
  private int ihaveRpcs;
  private int idsAsked;

  PeerState(PeerKind kind, boolean outbound, String ip, boolean direct) {
    this.kind = kind;
    this.outbound = outbound;
    this.ip = ip;
    this.direct = direct;
  }

  PeerKind kind() {
    return kind;
  }

  boolean outbound() {
    return outbound;
  }

  /** The remote IP address of the connection, or null when it has none (relayed, unknown). */
  String ip() {
    return ip;
  }

  /** Whether this is one of the configured direct peers. */
  boolean direct() {
    return direct;
  }

  /** The topics the peer is subscribed to (read-only view). */
  Set<String> topics() {
    return Collections.unmodifiableSet(topics);
  }

  boolean subscribed(String topic) {
    return topics.contains(topic);
  }

  int topicCount() {
    return topics.size();
  }

  boolean addTopic(String topic) {
    return topics.add(topic);
  }

  boolean removeTopic(String topic) {
    return topics.remove(topic);
  }

  /** Remembers that the peer does not want {@code id}, keeping at most {@code max} IDs. */
  void dontWant(ByteString id, int max) {
    if (max <= 0) {
      return;
    }
    dontWant.add(id);
    if (dontWant.size() > max) {
      Iterator<ByteString> it = dontWant.iterator();
      it.next();
      it.remove();
    }
  }

  boolean wants(ByteString id) {
    return !dontWant.contains(id);
  }

  /**
   * Counts one RPC carrying IHAVE; false when the peer already sent {@code max} of them this
   * heartbeat (the rest are ignored).
   */
  boolean takeIhaveRpc(int max) {
    return ++ihaveRpcs <= max;
  }

  /** Counts one ID asked with IWANT; false when {@code max} were asked this heartbeat. */
  boolean takeAskedId(int max) {
    if (idsAsked >= max) {
      return false;
    }
    idsAsked++;
    return true;
  }

  /** Starts a new heartbeat's IHAVE budget. */
  void newHeartbeat() {
    ihaveRpcs = 0;
    idsAsked = 0;
  }
}
