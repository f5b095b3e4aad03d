package org.lotusia.p2p.coordinator.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolHandler;
import org.lotusia.p2p.protocol.P2PMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered {@link ProtocolHandler}s, each with its own bounded {@link SerialQueue} on the
 * callback executor. Lives across restarts of the coordinator. Thread-safe.
 */
public final class HandlerRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

  private final Executor callbacks;
  private final ScheduledExecutorService scheduler;
  private final int capacity;
  private final Map<String, Entry> byName = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();

  /** A handler and its queue. */
  public record Entry(ProtocolHandler handler, SerialQueue queue) {}

  /**
   * Creates the registry.
   *
   * @param callbacks where handlers run
   * @param scheduler retries of rejected drains
   * @param capacity messages a handler may fall behind
   */
  public HandlerRegistry(Executor callbacks, ScheduledExecutorService scheduler, int capacity) {
    this.callbacks = callbacks;
    this.scheduler = scheduler;
    this.capacity = capacity;
  }

  /**
   * Adds a handler.
   *
   * @param handler the handler
   * @return its entry
   * @throws IllegalStateException {@code Protocol already registered: <name>} (lotus-sdk's text)
   * @throws IllegalArgumentException when the name is empty
   */
  public Entry register(ProtocolHandler handler) {
    Objects.requireNonNull(handler, "handler");
    String name = handler.protocolName();
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("protocolName of " + handler + " is empty");
    }
    Entry e =
        new Entry(
            handler,
            new SerialQueue(
                "protocol " + name,
                callbacks,
                scheduler,
                capacity,
                t -> LOG.warn("protocol handler '{}' threw; it keeps receiving", name, t)));
    if (byName.putIfAbsent(name, e) != null) {
      throw new IllegalStateException("Protocol already registered: " + name);
    }
    return e;
  }

  /**
   * Removes a handler.
   *
   * @param protocolName its name
   * @return its entry, or null when none was registered
   */
  public Entry unregister(String protocolName) {
    return byName.remove(protocolName);
  }

  /**
   * The entry of a name.
   *
   * @param protocolName the name
   * @return the entry, or null
   */
  public Entry get(String protocolName) {
    return protocolName == null ? null : byName.get(protocolName);
  }

  /**
   * A snapshot of every entry.
   *
   * @return the entries
   */
  public List<Entry> all() {
    return List.copyOf(byName.values());
  }

  /**
   * Queues a message for the handler of {@code message.protocol()}.
   *
   * @param message the message
   * @param from its sender
   * @return false when no handler takes it: none registered, or its queue is full (counted)
   */
  public boolean deliver(P2PMessage message, PeerInfo from) {
    Entry e = get(message.protocol());
    if (e == null) {
      return false;
    }
    boolean taken = e.queue().offer(() -> {
      try {
        e.handler().handleMessage(message, from);
      } catch (Exception ex) {
        throw new HandlerException(ex);
      }
    });
    if (!taken) {
      long n = refused.incrementAndGet();
      if (Long.bitCount(n) == 1) {
        LOG.warn(
            "protocol handler '{}' is {} messages behind; refused a message from {} ({} in total)",
            message.protocol(),
            e.queue().size(),
            from.peerId(),
            n);
      }
    }
    return taken;
  }

  /**
   * Whether the handler of a protocol name would take a message now.
   *
   * @param protocolName the name
   * @return false when none is registered or its queue is full
   */
  public boolean hasRoom(String protocolName) {
    Entry e = get(protocolName);
    return e != null && e.queue().hasRoom();
  }

  /**
   * Runs a notification on every handler's queue (peer events). A full queue skips the
   * notification for that handler, counted.
   *
   * @param call the notification
   */
  public void notifyAll(Consumer<ProtocolHandler> call) {
    for (Entry e : byName.values()) {
      if (!e.queue().offer(() -> call.accept(e.handler()))) {
        refused.incrementAndGet();
      }
    }
  }

  /**
   * Messages and notifications refused because a handler's queue was full.
   *
   * @return the count since creation
   */
  public long refused() {
    return refused.get();
  }

  /** Carries a checked exception of a handler to the queue's error report. */
  static final class HandlerException extends RuntimeException {
    HandlerException(Exception cause) {
      super(cause);
    }
  }
}
