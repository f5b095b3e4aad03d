package org.lotusia.libp2p.internal.noise;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CoalescingBufferQueue;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.Libp2pException;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Noise secure channel of one connection: runs the XX handshake, then encrypts what is written
 * and decrypts what is read (noise-libp2p spec, "Wire Format" and "Encryption and I/O").
 *
 * <p>Every Noise message travels as a 2-byte big-endian length and at most 65535 bytes. Inbound,
 * the length prefix is checked before anything is buffered: a handshake message beyond the
 * configured limit, a handshake message too short for its pattern, a transport message shorter than
 * the 16-byte tag, a failed authentication or a bad identity signature fail the connection with a
 * protocol violation and close it. Bytes that arrive together with the last handshake message stay
 * buffered and are decrypted right after the session is established, so nothing is lost.
 *
 * <p>Outbound, written {@link ByteBuf}s wait for the next flush (or until a batch of 15 messages is
 * queued; the queue counts towards the channel's writability), then are encrypted together: small
 * writes share a Noise message, large ones are cut into messages of at most 65519 plaintext bytes
 * (65535 with the tag), up to 15 messages per output buffer. A write's promise completes when its
 * bytes are written. Writes before the handshake completes fail with {@link IllegalStateException}.
 *
 * <p>{@link #session()} completes on the channel's event loop, before any decrypted byte is passed
 * on: a callback added before completion runs right there and can install the next handlers with
 * {@code pipeline.addLast}. The session is also fired as a user event. The future fails with a
 * {@link ProtocolViolationException} when the remote broke the protocol (its message says which
 * check failed), {@link UnexpectedPeerException} when a dialer reached the wrong peer, {@link
 * TimeoutException} after the handshake timeout, or {@link ConnectionClosedException} when the
 * connection closed first. An initiator that receives a message 1 where message 2 belongs fails
 * with {@link SimultaneousOpenException} (a protocol violation too): both ends are initiators. After the handshake, failures (a violation, or a {@link Libp2pException}
 * when the nonce space is exhausted) are fired as {@code exceptionCaught} to the handlers after
 * this one and the connection is closed.
 *
 * <p>Confined to the channel's event loop, as Netty handlers are. Not sharable.
 */
public final class NoiseHandler extends ByteToMessageDecoder implements ChannelOutboundHandler {

  /** Suggested pipeline name. */
  public static final String NAME = "noise";

  /** Largest plaintext in one transport message: 65535 minus the 16-byte tag. */
  public static final int MAX_PLAINTEXT = NoiseTransport.MAX_PLAINTEXT;

  private static final Logger LOG = LoggerFactory.getLogger(NoiseHandler.class);
  private static final byte[] EMPTY = new byte[0];

  private final NoiseSecurity config;
  private final boolean initiator;
  private final PeerId expectedRemote;
  private final CompletableFuture<SecureSession> session = new CompletableFuture<>();
  private HandshakeState handshake;
  private NoiseTransport transport;
  private ScheduledFuture<?> timeout;
  private CoalescingBufferQueue pending;
  private boolean started;
  private boolean failed;

  NoiseHandler(NoiseSecurity config, boolean initiator, PeerId expectedRemote) {
    this.config = config;
    this.initiator = initiator;
    this.expectedRemote = expectedRemote;
    // Reads are kept as components rather than merged into one buffer: a message that ends in a
    // later read is then the only one copied (into contiguous memory for the cipher), instead of
    // every byte of every read being appended to the previous one. Fully read components are
    // dropped after each read.
    setCumulator(COMPOSITE_CUMULATOR);
    setDiscardAfterReads(1);
  }

  /**
   * The session, completed on the event loop when the handshake succeeds, failed when it does not.
   * Each call returns a new dependent future, completed with the same value or the same (unwrapped)
   * exception; completing it does not affect the handler.
   */
  public CompletableFuture<SecureSession> session() {
    CompletableFuture<SecureSession> view = new CompletableFuture<>();
    session.whenComplete(
        (s, e) -> {
          if (e != null) {
            view.completeExceptionally(e);
          } else {
            view.complete(s);
          }
        });
    return view;
  }

  /** True for the dialer side. */
  public boolean isInitiator() {
    return initiator;
  }

  /**
   * The transport cipher for outbound messages, null before the handshake completes (tests only).
   */
  CipherState senderCipher() {
    return transport == null ? null : transport.sender();
  }

  /**
   * The transport cipher for inbound messages, null before the handshake completes (tests only).
   */
  CipherState receiverCipher() {
    return transport == null ? null : transport.receiver();
  }

  // --- lifecycle

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    start(ctx);
    super.channelActive(ctx);
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    handshake =
        new HandshakeState(
            initiator, EMPTY, config.staticKey(), X25519KeyPair.generate(), config.aead());
    long nanos = config.handshakeTimeout().toNanos();
    timeout =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        new TimeoutException(
                            "Noise handshake did not complete within "
                                + config.handshakeTimeout().toMillis()
                                + " ms")),
                nanos,
                TimeUnit.NANOSECONDS);
    if (initiator) {
      sendHandshakeMessage(
          ctx, handshake.writeMessage(EMPTY)); // -> e, no payload (spec: none in message 1)
    }
    requestRead(ctx);
  }

  /** With auto-read off nobody else asks for the peer's next handshake message, so ask for it. */
  private static void requestRead(ChannelHandlerContext ctx) {
    if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancelTimeout();
    releasePending(
        new ConnectionClosedException("connection closed before queued data was encrypted"));
    if (!session.isDone()) {
      failed = true;
      handshake = null;
      session.completeExceptionally(
          new ConnectionClosedException("connection closed during the Noise handshake"));
    }
    super.channelInactive(ctx);
  }

  @Override
  protected void handlerRemoved0(ChannelHandlerContext ctx) {
    cancelTimeout();
    releasePending(
        new IllegalStateException("Noise handler removed with data waiting for a flush"));
    if (!session.isDone()) {
      failed = true;
      session.completeExceptionally(
          new IllegalStateException("Noise handler removed during the handshake"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!session.isDone()) {
      fail(ctx, cause);
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  // --- inbound

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < 2 || (handshake == null && transport == null)) {
      return;
    }
    int len = in.getUnsignedShort(in.readerIndex());
    if (handshake != null && len > config.maxHandshakeMessageLength()) {
      in.skipBytes(in.readableBytes());
      fail(
          ctx,
          new NoiseFailure(
              "Noise handshake message "
                  + handshake.nextMessageNumber()
                  + " of "
                  + len
                  + " bytes exceeds the limit of "
                  + config.maxHandshakeMessageLength()));
      return;
    }
    if (in.readableBytes() < 2 + len) {
      return;
    }
    in.skipBytes(2);
    if (handshake != null) {
      byte[] message = new byte[len];
      in.readBytes(message);
      onHandshakeMessage(ctx, message);
    } else {
      ByteBuf plain = decryptMessage(ctx, in, len);
      if (plain != null) {
        out.add(plain);
      }
    }
  }

  private void onHandshakeMessage(ChannelHandlerContext ctx, byte[] message) {
    if (initiator
        && handshake.nextMessageNumber() == 2
        && message.length == X25519KeyPair.KEY_LENGTH) {
      // Exactly an ephemeral key with no payload: the remote's own message 1 (libp2p sends none
      // there), so it is an initiator too, as after a TCP simultaneous open. Named apart from other
      // violations so that a dial from the listen port can be retried from another port.
      fail(
          ctx,
          new SimultaneousOpenException(
              "Noise handshake message 2 is "
                  + message.length
                  + " bytes, the size of a message 1: the remote also acted as initiator"
                  + " (a TCP simultaneous open)"));
      return;
    }
    try {
      byte[] payload = handshake.readMessage(message);
      if (!initiator && handshake.nextMessageNumber() == 2) {
        // Message 1 may carry a plaintext payload; libp2p puts nothing there, and it is ignored.
        sendHandshakeMessage(ctx, handshake.writeMessage(config.payload()));
        requestRead(ctx);
        return;
      }
      NoisePayloads.Verified remote = NoisePayloads.verify(payload, handshake.remoteStaticKey());
      if (initiator) {
        if (expectedRemote != null && !expectedRemote.equals(remote.peer())) {
          fail(ctx, new UnexpectedPeerException(remote.peer(), expectedRemote));
          return;
        }
        sendHandshakeMessage(ctx, handshake.writeMessage(config.payload()));
      }
      establish(ctx, remote);
    } catch (RuntimeException e) {
      fail(ctx, e);
    }
  }

  private void establish(ChannelHandlerContext ctx, NoisePayloads.Verified remote) {
    byte[] remoteStatic = handshake.remoteStaticKey();
    byte[] hash = handshake.handshakeHash();
    HandshakeState.TransportCiphers ciphers = handshake.split();
    handshake = null;
    transport = new NoiseTransport(ciphers.sender(), ciphers.receiver());
    pending = new CoalescingBufferQueue(ctx.channel(), 4, true);
    cancelTimeout();
    SecureSession s =
        new SecureSession(
            remote.peer(),
            remote.key(),
            remoteStatic,
            remote.streamMuxers(),
            remote.certhashes(),
            hash);
    LOG.debug(
        "{} Noise session established with {} as {}",
        ctx.channel(),
        s.remotePeer(),
        initiator ? "initiator" : "responder");
    session.complete(s);
    ctx.fireUserEventTriggered(s);
  }

  private ByteBuf decryptMessage(ChannelHandlerContext ctx, ByteBuf in, int len) {
    ByteBuf plain;
    try {
      plain = transport.decrypt(ctx.alloc(), in, len);
    } catch (RuntimeException e) {
      in.skipBytes(in.readableBytes());
      fail(ctx, e);
      return null;
    }
    in.skipBytes(len);
    return plain;
  }

  // --- outbound

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof ByteBuf buf)) {
      ReferenceCountUtil.release(msg);
      promise.setFailure(new UnsupportedMessageTypeException(msg, ByteBuf.class));
      return;
    }
    if (failed || transport == null) {
      buf.release();
      promise.setFailure(
          new IllegalStateException(
              failed
                  ? "Noise session failed; the connection is closing"
                  : "Noise handshake not complete; write after session() completes"));
      return;
    }
    pending.add(buf, promise);
    if (pending.readableBytes() >= NoiseTransport.BATCH_BYTES) {
      drain(ctx); // bound what waits for a flush to one batch
    }
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    if (pending != null && !pending.isEmpty()) {
      drain(ctx);
    }
    ctx.flush();
  }

  /**
   * Encrypts everything queued since the last flush, coalescing small writes into shared Noise
   * messages of up to 65519 plaintext bytes, one output buffer per batch of up to 15 messages.
   */
  private void drain(ChannelHandlerContext ctx) {
    while (!failed && !pending.isEmpty()) {
      ChannelPromise batchPromise = ctx.newPromise();
      ByteBuf batch = pending.remove(ctx.alloc(), NoiseTransport.BATCH_BYTES, batchPromise);
      try {
        transport.encryptAndWrite(ctx, batch, batchPromise);
      } catch (RuntimeException e) {
        Throwable mapped = map(e);
        batchPromise.tryFailure(mapped);
        fail(ctx, mapped);
      } finally {
        batch.release();
      }
    }
  }

  private void sendHandshakeMessage(ChannelHandlerContext ctx, byte[] message) {
    ByteBuf frame = ctx.alloc().buffer(2 + message.length);
    frame.writeShort(message.length);
    frame.writeBytes(message);
    ctx.writeAndFlush(frame)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (!f.isSuccess()) {
                    fail(
                        ctx,
                        new ConnectionClosedException(
                            "could not send a Noise handshake message", f.cause()));
                  }
                });
  }

  // --- failure

  /**
   * Names who is at fault: a failed Noise check is the remote's protocol violation; an exhausted
   * nonce ends the session; anything else passes unchanged.
   */
  private static Throwable map(Throwable t) {
    if (t instanceof NoiseFailure nf) {
      return new ProtocolViolationException(nf.getMessage(), nf.getCause());
    }
    if (t instanceof IllegalStateException
        && t.getMessage() != null
        && t.getMessage().contains("nonce")) {
      return new Libp2pException(t.getMessage(), t);
    }
    if (t instanceof IOException) {
      return new ConnectionClosedException(
          "connection failed during the Noise session: " + t.getMessage(), t);
    }
    return t;
  }

  private void fail(ChannelHandlerContext ctx, Throwable failure) {
    if (failed) {
      return;
    }
    Throwable cause = map(failure);
    failed = true;
    handshake = null;
    cancelTimeout();
    releasePending(cause);
    if (session.completeExceptionally(cause)) {
      LOG.debug("{} Noise handshake failed: {}", ctx.channel(), cause.toString());
    } else {
      LOG.debug("{} Noise session failed: {}", ctx.channel(), cause.toString());
      ctx.fireExceptionCaught(cause);
    }
    ctx.close();
  }

  private void releasePending(Throwable cause) {
    if (pending != null) {
      pending.releaseAndFailAll(cause);
    }
  }

  private void cancelTimeout() {
    if (timeout != null) {
      timeout.cancel(false);
      timeout = null;
    }
  }

  // --- pass-through outbound operations

  @Override
  public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
    ctx.bind(localAddress, promise);
  }

  @Override
  public void connect(
      ChannelHandlerContext ctx,
      SocketAddress remoteAddress,
      SocketAddress localAddress,
      ChannelPromise promise) {
    ctx.connect(remoteAddress, localAddress, promise);
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.close(promise);
  }

  @Override
  public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
    ctx.deregister(promise);
  }

  @Override
  public void read(ChannelHandlerContext ctx) {
    ctx.read();
  }
}
