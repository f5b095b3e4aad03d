package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.lotusia.libp2p.StreamReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read side of a {@link StreamImpl}: the inbound byte queue, its flow control, and delivery to
 * the push reader or to a {@link PendingRead}.
 *
 * <p>Bytes are copied out of Netty buffers on the event loop ({@link #onInbound}) into a queue
 * bounded by {@code maxBuffered} bytes; when the queue is full, auto-read is switched off so the
 * muxer stops granting receive window, and switched on again once the reader drained half of it.
 * Delivery runs on the stream's {@link SerialExecutor}, so reader callbacks of one stream never
 * overlap and never run on the event loop; the reader is woken once per pass of the event loop
 * (after all the reads of that pass), not once per chunk, and a drain yields after 64 steps so that
 * one busy stream cannot hold a callback thread.
 *
 * <p>Thread-safe: the state is guarded by {@code lock}; callbacks run outside it.
 */
final class StreamInbound {

  private static final Logger LOG = LoggerFactory.getLogger(StreamInbound.class);

  private final StreamImpl stream;
  private final Channel channel;
  private final SerialExecutor events;
  private final int maxBuffered;

  private final Object lock = new Object();
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private int buffered;
  private boolean paused;
  private boolean inputEnded;
  private Throwable error;
  private boolean terminalDelivered;
  private boolean drainScheduled;
  /** A {@link #wakeReader} task is queued on the event loop; touched there only. */
  private boolean wakeQueued;
  private StreamReader reader;
  private PendingRead pending;

  StreamInbound(StreamImpl stream, Channel channel, SerialExecutor events, int maxBuffered) {
    this.stream = stream;
    this.channel = channel;
    this.events = events;
    this.maxBuffered = maxBuffered;
  }

  int maxBuffered() {
    return maxBuffered;
  }

  String protocol() {
    return stream.protocol();
  }

  /** The error the inbound side ended with, or null. */
  Throwable error() {
    synchronized (lock) {
      return error;
    }
  }

  /** Whether the remote ended its side cleanly (and nothing failed). */
  boolean endedCleanly() {
    synchronized (lock) {
      return inputEnded && error == null;
    }
  }

  /** See {@link StreamImpl#takeBuffered()}. */
  List<byte[]> takeBuffered() {
    synchronized (lock) {
      terminalDelivered = true;
      List<byte[]> out = new ArrayList<>(chunks);
      chunks.clear();
      buffered = 0;
      paused = false;
      return out;
    }
  }

  void setReader(StreamReader newReader) {
    Objects.requireNonNull(newReader, "reader");
    synchronized (lock) {
      if (reader != null || pending != null) {
        throw new IllegalStateException("stream already has a reader or a pending read");
      }
      reader = newReader;
    }
    scheduleDrain();
  }

  CompletableFuture<byte[]> startRead(PendingRead read) {
    synchronized (lock) {
      if (reader != null || pending != null) {
        throw new IllegalStateException("stream already has a reader or a pending read");
      }
      pending = read;
    }
    scheduleDrain();
    return read.future();
  }

  /** A copy of received bytes; on the event loop. */
  void onInbound(byte[] bytes) {
    synchronized (lock) {
      if (inputEnded || error != null) {
        return;
      }
      chunks.add(bytes);
      buffered += bytes.length;
      if (buffered >= maxBuffered && !paused) {
        paused = true;
        channel.config().setAutoRead(false);
      }
    }
    if (!wakeQueued) {
      // Wake the reader once per pass of the event loop rather than once per chunk: the loop runs
      // its tasks after the reads of this pass, so the chunks of all of them go in one hand-off.
      wakeQueued = true;
      try {
        channel.eventLoop().execute(this::wakeReader);
      } catch (RejectedExecutionException e) {
        wakeReader(); // the loop is shutting down: hand over now
      }
    }
  }

  /** The deferred hand-off of {@link #onInbound}; on the event loop. */
  private void wakeReader() {
    wakeQueued = false;
    scheduleDrain();
  }

  /** The remote closed its write side; on the event loop. */
  void onInputEnd() {
    synchronized (lock) {
      if (inputEnded || error != null) {
        return;
      }
      inputEnded = true;
    }
    scheduleDrain();
  }

  /** Ends the inbound side with {@code cause}; false when it had already failed. */
  boolean fail(Throwable cause) {
    synchronized (lock) {
      if (error != null) {
        return false;
      }
      error = cause;
    }
    scheduleDrain();
    return true;
  }

  /** Called by a {@link PendingRead} (holding {@code lock}) as it finishes. */
  void readFinished() {
    pending = null;
  }

  /** Resets the stream; for a {@link PendingRead} that saw too many bytes. */
  void resetStream() {
    stream.reset();
  }

  /** Counts {@code n} bytes as read; resumes reading below half the buffer. Holds {@code lock}. */
  void consumed(int n) {
    buffered -= n;
    if (paused && buffered <= maxBuffered / 2) {
      paused = false;
      channel.config().setAutoRead(true);
    }
  }

  private void scheduleDrain() {
    synchronized (lock) {
      if (drainScheduled) {
        return;
      }
      drainScheduled = true;
    }
    events.execute(this::drain);
  }

  private void drain() {
    for (int i = 0; i < 64; i++) {
      Runnable action;
      synchronized (lock) {
        action = nextAction();
        if (action == null) {
          drainScheduled = false;
          return;
        }
      }
      action.run();
    }
    // More to do: continue in a new task so other streams sharing the threads get a turn.
    events.execute(this::drain);
  }

  /** The next delivery step, or null when there is nothing to do. Called holding {@code lock}. */
  private Runnable nextAction() {
    if (terminalDelivered) {
      chunks.clear();
      buffered = 0;
      return null;
    }
    if (reader != null) {
      StreamReader r = reader;
      byte[] chunk = chunks.poll();
      if (chunk != null) {
        consumed(chunk.length);
        return () -> callReader(() -> r.onData(stream, chunk));
      }
      if (inputEnded) {
        terminalDelivered = true;
        return () -> callReader(() -> r.onEnd(stream));
      }
      if (error != null) {
        terminalDelivered = true;
        Throwable cause = error;
        return () -> callReader(() -> r.onError(stream, cause));
      }
      return null;
    }
    PendingRead read = pending;
    if (read == null) {
      return null;
    }
    return read.step(chunks, inputEnded, error);
  }

  private void callReader(Runnable call) {
    try {
      call.run();
    } catch (Throwable t) {
      LOG.warn("stream reader for {} threw; resetting the stream", stream.protocol(), t);
      synchronized (lock) {
        terminalDelivered = true;
      }
      stream.reset();
    }
  }
}
