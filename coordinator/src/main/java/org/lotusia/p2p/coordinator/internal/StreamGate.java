package org.lotusia.p2p.coordinator.internal;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.lotusia.libp2p.PeerId;

/**
 * Bounds the one-message streams open to each peer at once. js-libp2p (so lotus-sdk) resets an
 * inbound stream beyond 32 open ones of a protocol on a connection, and this SDK beyond 256 on a
 * connection; a stream stays open until the receiver's close arrives, after the send completed. So
 * a sender that goes fast would see its messages refused. Beyond the bound, streams wait for one to
 * close, in order, up to a number of bytes per peer; beyond that the send fails at once.
 *
 * <p>Thread-safe; a started task runs on the thread that acquired or released the slot.
 */
final class StreamGate {

  /** One-message streams open to one peer at once: js-libp2p's default inbound stream limit. */
  static final int MAX_OPEN_PER_PEER = 32;

  /** Bytes of messages that may wait for a slot, per peer. */
  static final int MAX_WAITING_BYTES = 8 << 20;

  private final Map<PeerId, Slots> peers = new ConcurrentHashMap<>();

  /**
   * Starts {@code task} now if {@code peer} has a free slot, else when one frees. The task gets a
   * {@link Runnable} that it must call exactly once when its stream is done (closed, reset, or
   * never opened).
   *
   * @param peer the receiver
   * @param bytes the message size, counted while it waits
   * @param task opens the stream
   * @throws IllegalStateException when {@link #MAX_WAITING_BYTES} already wait for the peer
   */
  void run(PeerId peer, int bytes, Consumer<Runnable> task) {
    boolean now;
    Slots s;
    while (true) {
      s = peers.computeIfAbsent(peer, k -> new Slots());
      synchronized (s) {
        if (!s.retired) {
          now = take(s, peer, bytes, task);
          break;
        }
      }
      // released and removed meanwhile: take the peer's new entry
    }
    if (now) {
      Slots slots = s;
      task.accept(() -> release(peer, slots));
    }
  }

  /** Takes a slot (true) or queues the task (false); called holding {@code s}. */
  private static boolean take(Slots s, PeerId peer, int bytes, Consumer<Runnable> task) {
    if (s.open < MAX_OPEN_PER_PEER && s.waiting.isEmpty()) {
      s.open++;
      return true;
    }
    if (s.waitingBytes + bytes > MAX_WAITING_BYTES) {
      throw new IllegalStateException(
          s.waitingBytes
              + " bytes of messages already wait for one of the "
              + MAX_OPEN_PER_PEER
              + " message streams a peer takes at once ("
              + peer
              + ")");
    }
    s.waiting.add(new Waiting(bytes, task));
    s.waitingBytes += bytes;
    return false;
  }

  private void release(PeerId peer, Slots s) {
    Waiting next;
    synchronized (s) {
      next = s.waiting.poll();
      if (next == null) {
        s.open--;
        if (s.open == 0) {
          peers.remove(peer, s);
          s.retired = true;
        }
      } else {
        s.waitingBytes -= next.bytes;
      }
    }
    if (next != null) {
      next.task.accept(() -> release(peer, s));
    }
  }

  /** Returns the messages waiting for a slot, over all peers. */
  int waiting() {
    int n = 0;
    for (Slots s : peers.values()) {
      synchronized (s) {
        n += s.waiting.size();
      }
    }
    return n;
  }

  private static final class Slots {
    int open;
    int waitingBytes;
    boolean retired;
    final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  }

  private record Waiting(int bytes, Consumer<Runnable> task) {}
}
