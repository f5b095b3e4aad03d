package org.lotusia.p2p.security;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers {@link SecurityEvent}s to listeners on an executor, isolating the manager from listener
 * failures. Thread-safe; must be called without holding any peer lock.
 */
final class EventPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);

  private final Executor executor;
  private final List<SecurityEventListener> listeners = new CopyOnWriteArrayList<>();

  EventPublisher(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  void add(SecurityEventListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  boolean remove(SecurityEventListener listener) {
    return listeners.remove(listener);
  }

  void publish(List<SecurityEvent> events) {
    if (events.isEmpty() || listeners.isEmpty()) {
      return;
    }
    for (SecurityEvent e : events) {
      for (SecurityEventListener l : listeners) {
        try {
          executor.execute(
              () -> {
                try {
                  l.onEvent(e);
                } catch (RuntimeException ex) {
                  LOG.warn("security event listener threw on {}", e, ex);
                }
              });
        } catch (RuntimeException rejected) {
          LOG.warn("event executor refused {}", e, rejected);
        }
      }
    }
  }
}
