package org.lotusia.p2p.coordinator.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.p2p.coordinator.BroadcastOptions;
import org.lotusia.p2p.coordinator.BroadcastResult;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolIds;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.RejectReason;
import org.lotusia.p2p.security.SecurityDecision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Direct messages with lotus-sdk's framing: one UTF-8 JSON {@code P2PMessage} per stream, ended by
 * the sender's write-close (reference section 2.2), received on {@code /lotus/message/1.0.0} and
 * sent with {@link #sendTo} and {@link #broadcast}.
 *
 * <p>Receive path, for every stream: the security manager's connection check (a banned peer's
 * stream is reset unread), the bounded decoder (size cap), then {@code checkMessage}: validation,
 * sender binding ({@code from} must be the authenticated remote peer), de-duplication, rate limits
 * and the protocol validator. A refused message resets the stream (a duplicate or an empty stream
 * just closes it); an accepted one closes it and is delivered to the listeners and to the handler
 * of its {@code protocol}. A handler whose queue is full refuses the message before the stream
 * is closed, so the sender sees a reset.
 *
 * <p>Towards a peer that announces {@link ProtocolIds#MESSAGE_CHANNEL}, messages go on a {@link
 * MessageChannels message channel} instead (many messages on one stream); when the channel cannot
 * take one, that message goes on a stream of its own.
 *
 * <p>Threading: stream callbacks run on the host's callback executor; nothing here blocks.
 */
public final class MessageService {

  private static final Logger LOG = LoggerFactory.getLogger(MessageService.class);

  private final Context ctx;
  private final HandlerRegistry handlers;
  private final PeerTracker peers;
  private final LongAdder received = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder refusedBusy = new LongAdder();
  private final MessageChannels channels;
  private final StreamGate streams = new StreamGate();

  /** How long a sent message's stream waits for the receiver to close it before it is reset. */
  static final Duration UNCLOSED_STREAM_RESET = Duration.ofSeconds(30);

  /**
   * Creates the service for one run.
   *
   * @param ctx the run
   * @param handlers the protocol handlers
   * @param peers the peer table
   */
  public MessageService(Context ctx, HandlerRegistry handlers, PeerTracker peers) {
    this.ctx = ctx;
    this.handlers = handlers;
    this.peers = peers;
    Duration idle = ctx.config().messageChannelIdle();
    this.channels = idle.isZero() ? null : new MessageChannels(ctx, idle, this::deliver);
  }

  /** Serves {@code /lotus/message/1.0.0}, and the message channel unless disabled. */
  public void install() {
    ctx.host().setStreamHandler(ProtocolIds.MESSAGE, this::accept);
    if (channels != null) {
      channels.install();
    }
  }

  /** Closes the message channels unused for the configured idle time (periodic). */
  public void closeIdleChannels() {
    if (channels != null) {
      channels.closeIdle();
    }
  }

  /**
   * Message channels this node has open or opening to other peers.
   *
   * @return the count
   */
  public int openChannels() {
    return channels == null ? 0 : channels.outboundCount();
  }

  private void accept(Stream stream) {
    InboundMessages.read(ctx, stream, this::finish);
  }

  private void finish(Stream stream, String remote, DecodeResult result) {
    SecurityDecision d = ctx.security().checkMessage(remote, result);
    if (!d.accepted()) {
      LOG.debug("message from {} refused: {} ({})", remote, d.reason().code(), d.detail());
      if (d.reason() == RejectReason.MESSAGE_EMPTY || d.reason() == RejectReason.DUPLICATE) {
        stream.close(); // harmless: lotus-sdk ignores both silently
      } else {
        stream.reset();
      }
      return;
    }
    P2PMessage message = ((DecodeResult.Decoded) result).message();
    if (!deliver(message, remote)) {
      stream.reset();
      return;
    }
    stream.close();
  }

  /**
   * Delivers a message that passed the security manager to the listeners and to the handler of its
   * protocol, unless that handler's queue is full.
   *
   * @return false when the handler's queue was full (the message is refused and counted)
   */
  private boolean deliver(P2PMessage message, String remote) {
    if (handlers.get(message.protocol()) != null && !handlers.hasRoom(message.protocol())) {
      refusedBusy.increment();
      return false;
    }
    received.increment();
    PeerInfo from = peers.info(remote);
    ctx.events().publish(new P2PEvent.MessageReceived(message, from, ctx.now()));
    handlers.deliver(message, from);
    return true;
  }

  /**
   * Sends one message: on the message channel to a peer that has them, else on a new stream (the
   * message and the write-close follow the protocol proposal at once; at most {@value
   * StreamGate#MAX_OPEN_PER_PEER} such streams are open to one peer, further messages wait for one
   * to close).
   *
   * @param peerId the receiver
   * @param message the message
   * @param protocolId the libp2p protocol
   * @return completes when the message was handed to the connection, or fails (timeout, dial or
   *     negotiation error, reset)
   * @throws IllegalArgumentException for an invalid peer ID, this node's own ID, or a message over
   *     the size limit
   */
  public CompletableFuture<Void> sendTo(String peerId, P2PMessage message, String protocolId) {
    PeerId peer = Context.parsePeer(peerId);
    if (peer.equals(ctx.host().peerId())) {
      throw new IllegalArgumentException("cannot send a message to this node itself (" + peerId + ")");
    }
    ProtocolIds.check(protocolId);
    byte[] bytes = ctx.security().protocol().serialize(message);
    CompletableFuture<Void> result = new CompletableFuture<>();
    CompletableFuture<Void> sending;
    if (channels != null && protocolId.equals(ProtocolIds.MESSAGE) && channels.usable(peer)) {
      sending =
          channels
              .send(peer, bytes)
              .exceptionallyCompose(
                  e -> {
                    // nothing of it is on the channel: the message goes on a stream of its own
                    LOG.debug("message channel to {} failed, one stream instead: {}", peerId, e.toString());
                    return sendOnNewStream(peer, bytes, protocolId, result);
                  });
    } else {
      sending = sendOnNewStream(peer, bytes, protocolId, result);
    }
    sending.whenComplete(
        (v, e) -> {
          if (e == null) {
            sent.increment();
            result.complete(null);
          } else {
            result.completeExceptionally(Futures.unwrap(e));
          }
        });
    return Futures.within(result, ctx.config().sendTimeout(), ctx, "send to " + peerId);
  }

  /**
   * Sends one message on a new stream: the stream open, the protocol proposal, the message and the
   * half-close leave together (lazy multistream-select, as js-libp2p does for one protocol); the
   * future still waits for the receiver's acceptance of the protocol, so a peer without it fails.
   * The stream takes one of the peer's slots in {@link StreamGate} until it is closed.
   *
   * @param deadline the send's outcome; once it is done (timed out), a late stream is reset and a
   *     message still waiting for a slot is not sent
   */
  private CompletableFuture<Void> sendOnNewStream(
      PeerId peer, byte[] bytes, String protocolId, CompletableFuture<Void> deadline) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      streams.run(peer, bytes.length, done -> open(peer, bytes, protocolId, deadline, sent, done));
    } catch (IllegalStateException tooMany) {
      sent.completeExceptionally(tooMany);
    }
    return sent;
  }

  private void open(
      PeerId peer,
      byte[] bytes,
      String protocolId,
      CompletableFuture<Void> deadline,
      CompletableFuture<Void> sent,
      Runnable done) {
    if (deadline.isDone()) {
      done.run(); // timed out while it waited for a stream slot: nothing was sent
      sent.cancel(false);
      return;
    }
    ctx.newStreamWithData(peer, protocolId, bytes, true)
        .whenComplete(
            (s, e) -> {
              if (e != null) {
                done.run();
                sent.completeExceptionally(Futures.unwrap(e));
                return;
              }
              if (deadline.isDone()) {
                s.reset(); // timed out meanwhile
              } else {
                awaitRemoteClose(s);
              }
              s.closeFuture().whenComplete((v, x) -> done.run());
              sent.complete(null);
            });
  }

  /**
   * Keeps a sent message's stream until the receiver closed its side too, so that the stream's
   * slot is given back when the receiver no longer counts it: a Java receiver closes at once; a
   * lotus-sdk receiver never does, and its stream is reset after {@link #UNCLOSED_STREAM_RESET},
   * long after it read the message.
   */
  private void awaitRemoteClose(Stream s) {
    java.util.concurrent.ScheduledFuture<?> timer;
    try {
      timer = ctx.scheduler().schedule(s::reset, UNCLOSED_STREAM_RESET.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      s.reset();
      return;
    }
    s.closeFuture().whenComplete((v, x) -> timer.cancel(false));
    s.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream stream, byte[] chunk) {
            // a message stream carries nothing back; lotus-sdk writes nothing either
          }

          @Override
          public void onEnd(Stream stream) {
            stream.close();
          }
        });
  }

  /**
   * Sends a message to every connected peer (minus exclusions), then delivers it to this node's
   * handler of its protocol (lotus-sdk's self-delivery, without the security checks).
   *
   * @param message the message
   * @param options targets and protocol
   * @return the per-peer outcome; never fails for a peer's failure
   */
  public CompletableFuture<BroadcastResult> broadcast(P2PMessage message, BroadcastOptions options) {
    ctx.security().protocol().serialize(message); // size check before any send
    Set<String> exclude = options.exclude();
    Set<String> only = options.includedOnly();
    List<String> targets = new ArrayList<>();
    for (PeerId p : ctx.host().connectedPeers()) {
      String id = p.toBase58();
      if (exclude.contains(id) || (!only.isEmpty() && !only.contains(id))) {
        continue;
      }
      if (hasUnlimitedConnection(p)) {
        targets.add(id);
      }
    }
    List<String> ok = java.util.Collections.synchronizedList(new ArrayList<>());
    Map<String, String> failed = new ConcurrentHashMap<>();
    CompletableFuture<?>[] sends = new CompletableFuture<?>[targets.size()];
    for (int i = 0; i < targets.size(); i++) {
      String id = targets.get(i);
      CompletableFuture<Void> f;
      try {
        f = sendTo(id, message, options.protocolId());
      } catch (IllegalArgumentException e) {
        f = CompletableFuture.failedFuture(e);
      }
      sends[i] =
          f.whenComplete(
              (v, e) -> {
                if (e == null) {
                  ok.add(id);
                } else {
                  failed.put(id, String.valueOf(Futures.unwrap(e).getMessage()));
                  LOG.debug("broadcast to {} failed: {}", id, e.toString());
                }
              });
    }
    return CompletableFuture.allOf(sends)
        .handle(
            (v, e) -> {
              boolean self =
                  handlers.deliver(message, PeerInfo.of(ctx.selfId(), false, ctx.now()));
              return new BroadcastResult(ok, failed, self);
            });
  }

  /** Relayed connections are limited; lotus-sdk skips peers reachable only through a relay. */
  private boolean hasUnlimitedConnection(PeerId peer) {
    for (Connection c : ctx.host().connections(peer)) {
      if (!c.limited()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Messages received and accepted since this run started.
   *
   * @return the count
   */
  public long received() {
    return received.sum();
  }

  /**
   * Messages sent since this run started.
   *
   * @return the count
   */
  public long sent() {
    return sent.sum();
  }

  /**
   * Messages refused because their handler's queue was full, since this run started.
   *
   * @return the count
   */
  public long refusedBusy() {
    return refusedBusy.sum();
  }
}
