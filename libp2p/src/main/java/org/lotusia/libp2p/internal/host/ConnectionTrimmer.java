package org.lotusia.libp2p.internal.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the number of connections between the water marks: when more than {@code highWater} are
 * open, closes connections until {@code lowWater} remain.
 *
 * <p>Order: connections of protected peers ({@link PeerTags#isProtected}) are never closed. Among
 * the others, those of the peer with the lowest total tag value go first; among equal values,
 * connections without open streams before connections with streams in use; then the oldest first. A
 * connection with streams in use is therefore closed only when no idle connection of a peer of the
 * same or a lower value is left, and its streams then end with {@link
 * org.lotusia.libp2p.ConnectionClosedException}. When every connection is protected, the host stays
 * above the high-water mark (the maximum still refuses new connections).
 *
 * <p>Thread-safe: a trim decides under {@code this}, and connections already chosen for closing are
 * remembered until their channel closed, so that concurrent trims never close more than needed.
 */
final class ConnectionTrimmer {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionTrimmer.class);

  private final int highWater;
  private final int lowWater;
  private final PeerTags tags;
  private final Set<ConnectionImpl> closing = ConcurrentHashMap.newKeySet();
  private final LongAdder trimmed = new LongAdder();

  ConnectionTrimmer(int highWater, int lowWater, PeerTags tags) {
    this.highWater = highWater;
    this.lowWater = lowWater;
    this.tags = tags;
  }

  /** Trims {@code open} (the registered connections) when above the high-water mark. */
  void trim(Collection<ConnectionImpl> open) {
    if (open.size() <= highWater) {
      return;
    }
    List<ConnectionImpl> chosen = new ArrayList<>();
    synchronized (this) {
      int remaining = open.size() - closing.size();
      if (remaining <= highWater) {
        return;
      }
      List<Candidate> candidates = new ArrayList<>();
      for (ConnectionImpl c : open) {
        if (!closing.contains(c) && c.isOpen() && !tags.isProtected(c.remotePeer())) {
          candidates.add(new Candidate(c, tags.value(c.remotePeer()), c.streamCount() > 0));
        }
      }
      candidates.sort(
          Comparator.comparingLong(Candidate::value)
              .thenComparing(Candidate::busy)
              .thenComparing(x -> x.connection().openedAt()));
      for (int i = 0; i < candidates.size() && remaining > lowWater; i++, remaining--) {
        ConnectionImpl c = candidates.get(i).connection();
        closing.add(c);
        chosen.add(c);
      }
    }
    for (ConnectionImpl c : chosen) {
      LOG.debug("trimming connection {}", c);
      trimmed.increment();
      c.channel().closeFuture().addListener(f -> closing.remove(c));
      c.close();
    }
  }

  /** Connections closed by trimming since the host started. */
  long trimmed() {
    return trimmed.sum();
  }

  private record Candidate(ConnectionImpl connection, long value, boolean busy) {}
}
