package org.lotusia.libp2p.protocol.pubsub;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Stream;

/**
 * The outbound RPC stream to one peer with a bounded queue: one write at a time, each after the
 * previous completed (so Yamux flow control paces us), carrying every frame queued meanwhile up to
 * {@value #MAX_BATCH_BYTES} bytes; a frame arriving while the queue is full is dropped and counted.
 * Frames queued before the stream is open are sent once it is attached. Thread-safe; never blocks.
 */
final class PeerWriter {
  /** Largest write made of several queued frames. */
  static final int MAX_BATCH_BYTES = 256 * 1024;

  private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
  private final int capacity;
  private final LongAdder dropped;
  private Stream stream;
  private boolean writing;
  private int batchFrames;
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

  /**
   * The queued frames, up to {@value #MAX_BATCH_BYTES} bytes (at least one frame), as one write:
   * every write waits for the muxer, so one per frame would add a round of hand-offs per RPC.
   */
  private byte[] takeBatch() {
    byte[] first = queue.poll();
    batchFrames = 1;
    if (queue.isEmpty() || first.length >= MAX_BATCH_BYTES) {
      return first;
    }
    int total = first.length;
    int n = 1;
    for (byte[] f : queue) {
      if (total + f.length > MAX_BATCH_BYTES) {
        break;
      }
      total += f.length;
      n++;
    }
    batchFrames = n;
    byte[] out = new byte[total];
    System.arraycopy(first, 0, out, 0, first.length);
    int pos = first.length;
    for (int i = 1; i < n; i++) {
      byte[] f = queue.poll();
      System.arraycopy(f, 0, out, pos, f.length);
      pos += f.length;
    }
    return out;
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
      next = takeBatch();
      s = stream;
    }
    s.write(next)
        .whenComplete(
            (v, e) -> {
              synchronized (this) {
                writing = false;
                if (e != null) {
                  closed = true;
                  dropped.add(queue.size() + (long) batchFrames);
                  queue.clear();
                }
              }
              if (e == null) {
                pump();
              }
            });
  }
}
