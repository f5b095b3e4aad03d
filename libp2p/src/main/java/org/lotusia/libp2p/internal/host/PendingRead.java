package org.lotusia.libp2p.internal.host;

import java.io.EOFException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.ProtocolViolationException;

/**
 * One pending read of a stream, in one of three modes: {@link org.lotusia.libp2p.Stream#read(int)}
 * (exactly {@code exact} bytes), {@link org.lotusia.libp2p.Stream#readAll(int)} (everything up to
 * the end, at most {@code limit} bytes) or {@link org.lotusia.libp2p.Stream#readSome(int)} (what is
 * there, at most {@code upTo} bytes, once at least one byte or the end arrived).
 *
 * <p>Not thread-safe: {@link #step} is called by {@link StreamInbound} holding its lock; the
 * returned action completes the future outside the lock, on the stream's serial executor.
 */
final class PendingRead {

  private final StreamInbound inbound;
  private final int exact;
  private final int limit;
  private final int upTo;
  private final CompletableFuture<byte[]> future = new CompletableFuture<>();
  private final ArrayList<byte[]> parts = new ArrayList<>();
  private int have;

  private PendingRead(StreamInbound inbound, int exact, int limit, int upTo) {
    this.inbound = inbound;
    this.exact = exact;
    this.limit = limit;
    this.upTo = upTo;
  }

  /** A read of exactly {@code length} bytes. */
  static PendingRead exactly(StreamInbound inbound, int length) {
    return new PendingRead(inbound, length, -1, 0);
  }

  /** A read of everything up to the end, failing beyond {@code maxBytes}. */
  static PendingRead all(StreamInbound inbound, int maxBytes) {
    return new PendingRead(inbound, -1, maxBytes, 0);
  }

  /** A read of what is there, at most {@code maxBytes}. */
  static PendingRead some(StreamInbound inbound, int maxBytes) {
    return new PendingRead(inbound, -1, -1, maxBytes);
  }

  CompletableFuture<byte[]> future() {
    return future;
  }

  /**
   * Takes what it needs from {@code chunks}; returns the completion to run once the read is
   * satisfied or failed, or null while it waits for more. Called holding the inbound lock.
   */
  Runnable step(ArrayDeque<byte[]> chunks, boolean inputEnded, Throwable error) {
    if (upTo > 0) {
      takeUpTo(chunks, upTo);
      if (have > 0 || inputEnded) {
        return finish(null);
      }
    } else if (exact >= 0) {
      takeUpTo(chunks, exact);
      if (have == exact) {
        return finish(null);
      }
    } else {
      while (!chunks.isEmpty()) {
        byte[] c = chunks.poll();
        inbound.consumed(c.length);
        have += c.length;
        if (have > limit) {
          Runnable done =
              finish(
                  new ProtocolViolationException(
                      "stream " + inbound.protocol() + ": more than " + limit + " bytes"));
          return () -> {
            done.run();
            inbound.resetStream();
          };
        }
        parts.add(c);
      }
      if (inputEnded) {
        return finish(null);
      }
    }
    if (inputEnded) {
      return finish(
          new EOFException(
              "stream "
                  + inbound.protocol()
                  + " ended after "
                  + have
                  + " of "
                  + exact
                  + " bytes"));
    }
    if (error != null) {
      return finish(error);
    }
    return null;
  }

  /** Moves chunks into {@code parts} until {@code want} bytes are held, splitting the last one. */
  private void takeUpTo(ArrayDeque<byte[]> chunks, int want) {
    while (have < want && !chunks.isEmpty()) {
      byte[] c = chunks.poll();
      int take = Math.min(c.length, want - have);
      if (take < c.length) {
        chunks.addFirst(Arrays.copyOfRange(c, take, c.length));
        c = Arrays.copyOf(c, take);
      }
      parts.add(c);
      have += c.length;
      inbound.consumed(c.length);
    }
  }

  private Runnable finish(Throwable failure) {
    inbound.readFinished();
    if (failure != null) {
      return () -> future.completeExceptionally(failure);
    }
    byte[] out = new byte[have];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return () -> future.complete(out);
  }
}
