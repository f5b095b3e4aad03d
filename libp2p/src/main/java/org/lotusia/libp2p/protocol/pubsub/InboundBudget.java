package org.lotusia.libp2p.protocol.pubsub;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes of received RPCs that wait for the router or for validation: per stream and
 * across all peers. A reader {@link #tryAcquire acquires} an RPC's size before handing it to the
 * router; the router releases it when done, except for messages that went to validation, which hold
 * their share until their validation ends. When nothing waits in a scope (the stream, or the whole
 * node), one RPC is always admitted, so a single large RPC cannot be refused forever.
 *
 * <p>Thread-safe: the global count is updated atomically; a stream's count is updated by its reader
 * and by the router.
 */
final class InboundBudget {
  private final long perStream;
  private final long global;
  private final AtomicLong waiting = new AtomicLong();

  InboundBudget(long perStream, long global) {
    this.perStream = perStream;
    this.global = global;
  }

  /** Bytes waiting across all peers. */
  long waiting() {
    return waiting.get();
  }

  /**
   * Takes {@code bytes} for one RPC of a stream whose waiting bytes are {@code stream}.
   *
   * @return the ticket to release them with, or null when a limit refuses them
   */
  Ticket tryAcquire(AtomicLong stream, long bytes) {
    long s = stream.get();
    if (s > 0 && s + bytes > perStream) {
      return null;
    }
    while (true) {
      long g = waiting.get();
      if (g > 0 && g + bytes > global) {
        return null;
      }
      if (waiting.compareAndSet(g, g + bytes)) {
        break;
      }
    }
    stream.addAndGet(bytes);
    return new Ticket(stream, bytes);
  }

  /** Bytes held for one RPC, or for part of one. Used by one thread at a time. */
  final class Ticket {
    private final AtomicLong stream;
    private long held;

    private Ticket(AtomicLong stream, long held) {
      this.stream = stream;
      this.held = held;
    }

    /**
     * Moves {@code bytes} (at most what is held) into a new ticket, for a message in validation.
     */
    Ticket split(long bytes) {
      long n = Math.min(bytes, held);
      held -= n;
      return new Ticket(stream, n);
    }

    /** Releases everything still held; idempotent. */
    void release() {
      if (held > 0) {
        stream.addAndGet(-held);
        waiting.addAndGet(-held);
        held = 0;
      }
    }
  }

  /** A budget without limits whose tickets hold nothing: for routers driven directly by tests. */
  static Ticket none() {
    return new InboundBudget(Long.MAX_VALUE, Long.MAX_VALUE).tryAcquire(new AtomicLong(), 0);
  }
}
