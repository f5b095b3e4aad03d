package org.lotusia.libp2p.protocol.kad;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.lotusia.libp2p.PeerId;

/**
 * The valid values one GET_VALUE lookup met, by peer, and the choice among them (kad-dht spec,
 * "Value retrieval"). The local copy is one candidate like any other, offered after the remote
 * values, so a node never prefers its own copy just because it is its own: only the selector
 * decides. Tracks how many remote peers answered with the currently preferred value, for a quorum.
 *
 * <p>I/O-free and not thread-safe: used on the DHT's executor. The selector runs here, on that
 * thread.
 */
final class ValueCollector {
  private final byte[] key;
  private final Namespaces namespaces;
  private final Map<PeerId, byte[]> remote = new LinkedHashMap<>();
  private byte[] local;
  private byte[] best;

  ValueCollector(byte[] key, Namespaces namespaces) {
    this.key = key;
    this.namespaces = namespaces;
  }

  /** Offers the local copy (already validated). */
  void offerLocal(byte[] value) {
    local = value;
    choose();
  }

  /** Offers a validated value from {@code from}; a peer answering twice keeps its first value. */
  void offer(PeerId from, byte[] value) {
    if (remote.putIfAbsent(from, value) == null) {
      choose();
    }
  }

  private void choose() {
    List<byte[]> distinct = new ArrayList<>();
    for (byte[] v : remote.values()) {
      addDistinct(distinct, v);
    }
    if (local != null) {
      addDistinct(distinct, local);
    }
    best = distinct.isEmpty() ? null : distinct.get(namespaces.select(key, distinct));
  }

  private static void addDistinct(List<byte[]> values, byte[] v) {
    for (byte[] x : values) {
      if (Arrays.equals(x, v)) {
        return;
      }
    }
    values.add(v);
  }

  /** The preferred value so far. */
  Optional<byte[]> best() {
    return Optional.ofNullable(best);
  }

  /** Remote peers that answered with the preferred value. */
  int agreeing() {
    if (best == null) {
      return 0;
    }
    int n = 0;
    for (byte[] v : remote.values()) {
      if (Arrays.equals(v, best)) {
        n++;
      }
    }
    return n;
  }

  /**
   * The remote peers to correct: those that answered with a value the selector ranks below the
   * preferred one. Peers whose value the selector does not rank below it (an equal rank, or an
   * inconsistent selector) are left alone, so an older value is never pushed over a newer one.
   */
  List<PeerId> stalePeers() {
    List<PeerId> out = new ArrayList<>();
    if (best == null) {
      return out;
    }
    remote.forEach(
        (peer, v) -> {
          if (namespaces.prefers(key, best, v)) {
            out.add(peer);
          }
        });
    return out;
  }

  /** Whether the local copy exists and the selector ranks it below the preferred value. */
  boolean localIsStale() {
    return local != null && best != null && namespaces.prefers(key, best, local);
  }
}
