package org.lotusia.libp2p.internal.plaintext;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.libp2p.internal.noise.SecureSession;
import org.lotusia.libp2p.internal.proto.PlaintextProtos.Exchange;

/**
 * One side of the plaintext exchange. Sends its Exchange when active, reads the remote's (bounded),
 * completes {@link #session()}, removes itself and passes any following bytes on.
 *
 * <p>Threading: event loop only. Not sharable.
 */
final class PlaintextHandler extends ChannelInboundHandlerAdapter {

  private final IdentityPublicKey localKey;
  private final PeerId expected;
  private final int maxMessage;
  private final Duration timeout;
  private final CompletableFuture<SecureSession> session = new CompletableFuture<>();
  private ByteBuf cumulation;
  private ScheduledFuture<?> timer;
  private boolean started;

  PlaintextHandler(IdentityPublicKey localKey, PeerId expected, int maxMessage, Duration timeout) {
    this.localKey = localKey;
    this.expected = expected;
    this.maxMessage = maxMessage;
    this.timeout = timeout;
  }

  CompletableFuture<SecureSession> session() {
    return session;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      start(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start(ctx);
    ctx.fireChannelActive();
  }

  private void start(ChannelHandlerContext ctx) {
    if (started) {
      return;
    }
    started = true;
    cumulation = ctx.alloc().buffer(256);
    timer =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        new TimeoutException("plaintext exchange took longer than " + timeout)),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    byte[] body =
        Exchange.newBuilder()
            .setId(ByteString.copyFrom(PeerId.fromPublicKey(localKey).toBytes()))
            .setPubkey(ByteString.copyFrom(localKey.encoded()))
            .build()
            .toByteArray();
    ByteBuf out = ctx.alloc().buffer(body.length + 5);
    byte[] prefix = new byte[CodedOutputStream.computeUInt32SizeNoTag(body.length)];
    try {
      CodedOutputStream cos = CodedOutputStream.newInstance(prefix);
      cos.writeUInt32NoTag(body.length);
      cos.flush();
    } catch (java.io.IOException e) {
      out.release();
      throw new IllegalStateException(e);
    }
    out.writeBytes(prefix).writeBytes(body);
    ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf) || session.isDone()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      cumulation.writeBytes(buf);
    } finally {
      buf.release();
    }
    try {
      tryDecode(ctx);
    } catch (RuntimeException e) {
      fail(ctx, e);
    }
  }

  private void tryDecode(ChannelHandlerContext ctx) {
    int start = cumulation.readerIndex();
    long length = readUvarint(cumulation);
    if (length < 0) {
      cumulation.readerIndex(start);
      if (cumulation.readableBytes() > 10) {
        throw new ProtocolViolationException("plaintext: malformed length prefix");
      }
      return;
    }
    if (length > maxMessage) {
      throw new ProtocolViolationException(
          "plaintext: Exchange of " + length + " bytes exceeds the limit of " + maxMessage);
    }
    if (cumulation.readableBytes() < length) {
      cumulation.readerIndex(start);
      return;
    }
    byte[] body = new byte[(int) length];
    cumulation.readBytes(body);
    Exchange exchange;
    try {
      exchange = Exchange.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("plaintext: undecodable Exchange", e);
    }
    if (!exchange.hasId() || !exchange.hasPubkey()) {
      throw new ProtocolViolationException("plaintext: Exchange lacks id or pubkey");
    }
    IdentityPublicKey remoteKey;
    PeerId remote;
    try {
      remoteKey = Keys.decodePublicKey(exchange.getPubkey().toByteArray());
      remote = PeerId.fromBytes(exchange.getId().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("plaintext: bad key or peer id: " + e.getMessage(), e);
    }
    if (!remote.matches(remoteKey)) {
      throw new ProtocolViolationException(
          "plaintext: peer id " + remote + " does not match its key");
    }
    if (expected != null && !expected.equals(remote)) {
      throw new ProtocolViolationException(
          "plaintext: expected peer " + expected + " but the remote is " + remote);
    }
    cancelTimer();
    session.complete(
        new SecureSession(remote, remoteKey, new byte[0], List.of(), List.of(), new byte[0]));
    ctx.pipeline().remove(this);
  }

  /** Reads an unsigned varint, or returns -1 when incomplete. */
  private static long readUvarint(ByteBuf in) {
    long value = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (!in.isReadable()) {
        return -1;
      }
      byte b = in.readByte();
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new ProtocolViolationException("plaintext: length prefix too long");
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimer();
    ByteBuf rest = cumulation;
    cumulation = null;
    if (rest == null) {
      return;
    }
    if (session.isDone() && !session.isCompletedExceptionally() && rest.isReadable()) {
      ctx.fireChannelRead(rest);
      ctx.fireChannelReadComplete();
    } else {
      rest.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    fail(ctx, new ConnectionClosedException("connection closed during the plaintext exchange"));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (session.isDone()) {
      ctx.fireExceptionCaught(cause);
    } else {
      fail(ctx, cause);
    }
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    cancelTimer();
    if (session.completeExceptionally(cause)) {
      ctx.close();
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
