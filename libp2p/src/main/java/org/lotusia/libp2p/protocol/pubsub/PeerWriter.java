package org.lotusia.libp2p.protocol.pubsub;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Stream;

/**
 * The outbound RPC stream to one peer with a bounded queue: frames are written one at a time, each
 * after the previous write completed (so Yamux flow control paces us), and a frame arriving while
 * the queue is full is dropped and counted. Frames queued before the stream is open are sent once
 * it is attached. Thread-safe; never blocks.
 */
final class PeerWriter {
  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final int capacity;
  private final LongAdder dropped;
  private Stream stream;
  private boolean writing;
  private boolean closed;

  PeerWriter(int capacity, LongAdder dropped) {
    this.capacity = capacity;
    this.dropped = dropped;
  }

  /** Queues a frame; returns false (and counts a drop) when the queue is full or closed. */
  boolean enqueue(byte[] frame) {
    synchronized (this) {
      if (closed || queue.size() >= capacity) {
        dropped.increment();
        return false;
      }
      queue.add(frame);
    }
    pump();
    return true;
  }

  void attach(Stream s) {
    synchronized (this) {
      if (closed) {
        s.close();
        return;
      }
      this.stream = s;
    }
    pump();
  }

  synchronized boolean attached() {
    return stream != null;
  }

  synchronized int queued() {
    return queue.size();
  }

  void close() {
    Stream s;
    synchronized (this) {
      closed = true;
      queue.clear();
      s = stream;
    }
    if (s != null) {
      s.close();
    }
  }

  private void pump() {
    byte[] next;
    Stream s;
    synchronized (this) {
      if (writing || stream == null || closed || queue.isEmpty()) {
        return;
      }
      writing = true;
      next = queue.poll();
      s = stream;
    }
    s.write(next)
        .whenComplete(
            (v, e) -> {
              synchronized (this) {
                writing = false;
                if (e != null) {
                  closed = true;
                  dropped.add(queue.size() + 1L);
                  queue.clear();
                }
              }
              if (e == null) {
                pump();
              }
            });
  }
}
