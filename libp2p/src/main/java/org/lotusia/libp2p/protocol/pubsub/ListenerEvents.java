package org.lotusia.libp2p.protocol.pubsub;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PubsubListener}s of a service and the one serial, bounded lane that delivers their
 * events on the callback executor in the order the router produced them. Thread-safe.
 */
final class ListenerEvents {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerEvents.class);

  private final List<PubsubListener> listeners = new CopyOnWriteArrayList<>();
  private final Callbacks.Lane lane;

  ListenerEvents(Callbacks callbacks, int queueSize, Counters counters) {
    this.lane = callbacks.lane(queueSize, counters.droppedEvents);
  }

  void add(PubsubListener l) {
    listeners.add(l);
  }

  void remove(PubsubListener l) {
    listeners.remove(l);
  }

  void subscribed(PeerId peer, String topic) {
    if (!listeners.isEmpty()) {
      lane.offer(() -> each(l -> l.peerSubscribed(peer, topic)));
    }
  }

  void unsubscribed(PeerId peer, String topic) {
    if (!listeners.isEmpty()) {
      lane.offer(() -> each(l -> l.peerUnsubscribed(peer, topic)));
    }
  }

  private void each(java.util.function.Consumer<PubsubListener> event) {
    for (PubsubListener l : listeners) {
      try {
        event.accept(l);
      } catch (RuntimeException e) {
        LOG.warn("pubsub listener {} threw", l, e);
      }
    }
  }

  void close() {
    lane.close();
    listeners.clear();
  }
}
