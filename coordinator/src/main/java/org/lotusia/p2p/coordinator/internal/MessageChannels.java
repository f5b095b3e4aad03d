package org.lotusia.p2p.coordinator.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.p2p.coordinator.ProtocolIds;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.MessageCheck;
import org.lotusia.p2p.security.RejectReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message channels: one long-lived stream per peer and direction on {@value
 * ProtocolIds#MESSAGE_CHANNEL}, carrying the same JSON {@code P2PMessage}s as {@code
 * /lotus/message/1.0.0}, each with an unsigned-varint length in front (docs/ARCHITECTURE.md,
 * "Message channels"). A peer that announced the protocol through identify gets its direct
 * messages this way; any other peer (lotus-sdk) keeps one stream per message.
 *
 * <p>Sending: the first message opens the channel and travels with the protocol proposal; messages
 * sent while it opens wait in order, up to {@link #MAX_OPENING_BYTES}. A channel that cannot take a
 * message (open refused, stream reset, pending-write limit) fails that send, and the caller sends
 * the message on a stream of its own instead, so nothing is lost; a peer whose open was refused is
 * not tried again for {@link #RETRY_AFTER}. A channel unused for the configured idle time is
 * closed.
 *
 * <p>Receiving: every frame passes the same checks as a message stream (bans, size, sender
 * binding, de-duplication, rate limits, validators). A refused message is dropped and the channel
 * stays open; a framing error (length 0, above the message size cap, not minimal) or a ban resets
 * the channel; a peer may keep at most {@link #MAX_INBOUND_PER_PEER} channels open to this node.
 *
 * <p>Threading: stream callbacks run on the host's callback executor; sends may come from any
 * thread; the idle sweep runs on the service scheduler. Nothing here blocks.
 */
final class MessageChannels {

  private static final Logger LOG = LoggerFactory.getLogger(MessageChannels.class);

  /** Most channels one peer may have open to this node at a time. */
  static final int MAX_INBOUND_PER_PEER = 4;

  /** Most bytes waiting for a channel that is still opening. */
  static final int MAX_OPENING_BYTES = 1 << 20;

  /** How long a peer that refused the protocol is sent one stream per message. */
  static final Duration RETRY_AFTER = Duration.ofMinutes(1);

  private final Context ctx;
  private final Receiver receiver;
  private final long idleNanos;
  private final Map<PeerId, Channel> outbound = new ConcurrentHashMap<>();
  private final Map<PeerId, AtomicInteger> inbound = new ConcurrentHashMap<>();

  /**
   * Creates the channels of one run.
   *
   * @param ctx the run
   * @param idle how long an unused channel stays open; positive
   * @param receiver takes every accepted inbound message
   */
  MessageChannels(Context ctx, Duration idle, Receiver receiver) {
    this.ctx = ctx;
    this.idleNanos = idle.toNanos();
    this.receiver = receiver;
  }

  /** Serves {@value ProtocolIds#MESSAGE_CHANNEL}. */
  void install() {
    ctx.host().setStreamHandler(ProtocolIds.MESSAGE_CHANNEL, this::accept);
  }

  /**
   * Tells whether messages to {@code peer} go on a channel: it announced the protocol and did not
   * refuse it lately.
   *
   * @param peer the receiver
   * @return whether to call {@link #send}
   */
  boolean usable(PeerId peer) {
    Channel c = outbound.get(peer);
    if (c != null && c.refusedAt != 0) {
      return System.nanoTime() - c.refusedAt > RETRY_AFTER.toNanos();
    }
    return ctx.host().peerStore().protocols(peer).contains(ProtocolIds.MESSAGE_CHANNEL);
  }

  /**
   * Sends one serialized message on the channel to {@code peer}, opening it when there is none.
   *
   * @param peer the receiver
   * @param json the message bytes
   * @return completes when the frame was handed to the connection; fails when the channel could not
   *     take it (then nothing of it was sent)
   */
  CompletableFuture<Void> send(PeerId peer, byte[] json) {
    byte[] frame = FrameSplitter.frame(json);
    while (true) {
      Channel c = outbound.get(peer);
      if (c == null || c.refusedAt != 0) {
        Channel fresh = new Channel(peer);
        boolean mine = c == null ? outbound.putIfAbsent(peer, fresh) == null : outbound.replace(peer, c, fresh);
        if (mine) {
          return fresh.open(frame);
        }
        continue; // another sender won the race: use its channel
      }
      return c.write(frame);
    }
  }

  /** Closes the channels unused for the idle time and forgets refusals older than the retry time. */
  void closeIdle() {
    long now = System.nanoTime();
    for (Map.Entry<PeerId, Channel> e : outbound.entrySet()) {
      Channel c = e.getValue();
      boolean stale =
          c.refusedAt != 0
              ? now - c.refusedAt > RETRY_AFTER.toNanos()
              : now - c.lastUsed > idleNanos && c.stream != null;
      if (stale && outbound.remove(e.getKey(), c)) {
        c.close();
      }
    }
  }

  /** Returns the channels this node has open or opening to other peers. */
  int outboundCount() {
    int n = 0;
    for (Channel c : outbound.values()) {
      n += c.refusedAt == 0 ? 1 : 0;
    }
    return n;
  }

  private void accept(Stream stream) {
    PeerId peer = stream.connection().remotePeer();
    String remote = peer.toBase58();
    if (!ctx.security().checkConnection(remote).accepted()) {
      stream.reset();
      return;
    }
    AtomicInteger open = inbound.computeIfAbsent(peer, k -> new AtomicInteger());
    if (open.incrementAndGet() > MAX_INBOUND_PER_PEER) {
      release(peer, open);
      LOG.debug("message channel from {} refused: {} open already", remote, MAX_INBOUND_PER_PEER);
      stream.reset();
      return;
    }
    stream.closeFuture().whenComplete((v, e) -> release(peer, open));
    FrameSplitter frames = new FrameSplitter(ctx.security().protocol().maxMessageSize());
    stream.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream s, byte[] chunk) {
            try {
              frames.feed(chunk, frame -> onFrame(s, remote, frame));
            } catch (ProtocolViolationException e) {
              LOG.debug("message channel from {} reset: {}", remote, e.getMessage());
              s.reset();
            }
          }

          @Override
          public void onEnd(Stream s) {
            s.close(); // the sender closed its channel (idle, or stopping)
          }
        });
  }

  private void onFrame(Stream stream, String remote, byte[] frame) {
    if (!stream.isOpen()) {
      return; // reset by an earlier frame of the same chunk
    }
    MessageCheck check = ctx.security().checkMessage(remote, frame);
    if (!check.accepted()) {
      RejectReason reason = check.decision().reason();
      LOG.debug("message from {} refused: {} ({})", remote, reason.code(), check.decision().detail());
      if (reason == RejectReason.PEER_BANNED || reason == RejectReason.PEER_TEMP_BANNED) {
        stream.reset();
      }
      return;
    }
    receiver.accept(check.message(), remote);
  }

  private void release(PeerId peer, AtomicInteger open) {
    if (open.decrementAndGet() <= 0) {
      inbound.remove(peer, open);
    }
  }

  /** Takes an inbound message that passed the security manager. */
  @FunctionalInterface
  interface Receiver {
    /**
     * Delivers the message.
     *
     * @param message the message
     * @param remote the authenticated sender
     */
    void accept(P2PMessage message, String remote);
  }

  /** The outbound channel to one peer: opening, open, or refused. */
  private final class Channel {
    private final PeerId peer;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private int waitingBytes;
    private volatile Stream stream;
    private volatile long lastUsed = System.nanoTime();
    private volatile long refusedAt;
    private boolean failed;
    private boolean closing;

    Channel(PeerId peer) {
      this.peer = peer;
    }

    CompletableFuture<Void> open(byte[] first) {
      CompletableFuture<Void> sent = new CompletableFuture<>();
      ctx.newStreamWithData(peer, ProtocolIds.MESSAGE_CHANNEL, first, false)
          .whenComplete(
              (s, e) -> {
                if (e != null) {
                  opened(null, e);
                  sent.completeExceptionally(e);
                } else {
                  sent.complete(null);
                  opened(s, null);
                }
              });
      return sent;
    }

    private void opened(Stream s, Throwable error) {
      if (s == null) {
        failed(error);
        return;
      }
      s.setReader(
          new StreamReader() {
            @Override
            public void onData(Stream st, byte[] chunk) {
              st.reset(); // the receiver of a channel never writes on it
            }

            @Override
            public void onEnd(Stream st) {
              st.close();
            }
          });
      s.closeFuture().whenComplete((v, x) -> outbound.remove(peer, this));
      synchronized (this) {
        // in order, before any later send can see the stream
        for (Pending p : waiting) {
          forward(s.write(p.frame), p.sent);
        }
        waiting.clear();
        waitingBytes = 0;
        stream = s;
      }
    }

    private void failed(Throwable error) {
      LOG.debug("message channel to {} not opened: {}", peer, error.toString());
      if (Futures.unwrap(error) instanceof ProtocolNotSupportedException) {
        refusedAt = System.nanoTime(); // stays in the map: one stream per message for a while
      } else {
        outbound.remove(peer, this);
      }
      ArrayDeque<Pending> queued;
      synchronized (this) {
        failed = true;
        queued = new ArrayDeque<>(waiting);
        waiting.clear();
        waitingBytes = 0;
      }
      for (Pending p : queued) {
        p.sent.completeExceptionally(error);
      }
    }

    /**
     * Writes a frame, or queues it while the channel opens. Synchronized with {@link #close()}, so
     * that a frame written before the close reaches the stream before its end, and one after it
     * fails (and goes on a stream of its own).
     */
    synchronized CompletableFuture<Void> write(byte[] frame) {
      lastUsed = System.nanoTime();
      if (closing || failed) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "message channel to " + peer + (closing ? " was closed as idle" : " did not open")));
      }
      if (stream != null) {
        return stream.write(frame);
      }
      if (waitingBytes + frame.length > MAX_OPENING_BYTES) {
        return CompletableFuture.failedFuture(
            new IllegalStateException(
                "message channel to " + peer + " is opening with " + waitingBytes + " bytes waiting"));
      }
      Pending p = new Pending(frame, new CompletableFuture<>());
      waiting.add(p);
      waitingBytes += frame.length;
      return p.sent;
    }

    void close() {
      Stream s;
      synchronized (this) {
        closing = true;
        s = stream;
      }
      if (s != null) {
        s.close();
      }
    }
  }

  private static void forward(CompletableFuture<Void> from, CompletableFuture<Void> to) {
    from.whenComplete(
        (v, e) -> {
          if (e != null) {
            to.completeExceptionally(e);
          } else {
            to.complete(null);
          }
        });
  }

  private record Pending(byte[] frame, CompletableFuture<Void> sent) {}
}
