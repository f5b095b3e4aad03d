package org.lotusia.libp2p.internal.mss;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.StreamResetException;
import org.lotusia.libp2p.internal.yamux.YamuxStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * multistream-select 1.0 ({@value #HEADER}) as a Netty handler, for a raw connection (to pick the
 * security protocol and the muxer) and for each muxed stream (to pick the application protocol).
 *
 * <p>Use: add the handler returned by {@link #initiator} or {@link #responder} to the pipeline (it
 * starts when the channel is active). When a protocol is agreed, the handler calls the {@link
 * ProtocolInstaller} (which adds the protocol's handlers), then completes {@link #selected()}, then
 * removes itself and passes every byte that arrived after the negotiation down the pipeline, in
 * order. On failure {@link #selected()} fails and the channel is closed: {@link
 * ProtocolViolationException} for malformed or oversized messages or too many rounds, {@link
 * ProtocolNotSupportedException} when the responder refused every proposal, {@link
 * TimeoutException} after {@link MssConfig#timeout()}, {@link ConnectionClosedException} when the
 * channel closed first.
 *
 * <p>Threading: everything runs on the channel's event loop; {@link #selected()} completes there,
 * so non-async dependents of the future run on the event loop and must not block.
 */
public final class MultistreamSelect extends ChannelInboundHandlerAdapter {

  /** The protocol id of multistream-select 1.0, sent first by both sides. */
  public static final String HEADER = "/multistream/1.0.0";

  /** The refusal answer. */
  public static final String NA = "na";

  /** The list request. */
  public static final String LS = "ls";

  private static final Logger LOG = LoggerFactory.getLogger(MultistreamSelect.class);

  private final boolean initiator;
  private final List<String> proposals;
  private final Predicate<String> supported;
  private final Collection<String> listing;
  private final ProtocolInstaller installer;
  private final MssConfig config;
  private final CompletableFuture<String> selected = new CompletableFuture<>();

  private ByteBuf cumulation;
  private ScheduledFuture<?> timeoutTask;
  private boolean started;
  private boolean headerReceived;
  private boolean done;
  private boolean forwardOnRemove;
  private boolean installed;
  private int proposalIndex;
  private int rounds;

  private MultistreamSelect(
      boolean initiator,
      List<String> proposals,
      Predicate<String> supported,
      Collection<String> listing,
      ProtocolInstaller installer,
      MssConfig config) {
    this.initiator = initiator;
    this.proposals = proposals;
    this.supported = supported;
    this.listing = listing;
    this.installer = Objects.requireNonNull(installer, "installer");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Creates the initiator side: proposes {@code protocols} in order until the responder accepts
   * one.
   *
   * @param protocols protocol ids in order of preference, not empty, none blank or containing a
   *     newline
   * @param installer installs the handlers of the agreed protocol
   * @param config limits; {@link MssConfig#lazy()} needs exactly one protocol
   * @return a new handler, for one channel
   * @throws IllegalArgumentException when the list is empty, an id is invalid, or lazy is set with
   *     more than one protocol
   */
  public static MultistreamSelect initiator(
      List<String> protocols, ProtocolInstaller installer, MssConfig config) {
    List<String> copy = List.copyOf(protocols);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("at least one protocol must be proposed");
    }
    copy.forEach(p -> checkId(p, config));
    if (config.lazy() && copy.size() != 1) {
      throw new IllegalArgumentException("lazy select needs exactly one protocol, got " + copy);
    }
    return new MultistreamSelect(true, copy, null, List.of(), installer, config);
  }

  /**
   * Creates the responder side for a fixed set of protocols; {@code ls} is answered with this set.
   *
   * @param protocols supported protocol ids
   * @param installer installs the handlers of the agreed protocol
   * @param config limits ({@link MssConfig#lazy()} is ignored)
   * @return a new handler, for one channel
   */
  public static MultistreamSelect responder(
      Collection<String> protocols, ProtocolInstaller installer, MssConfig config) {
    LinkedHashSet<String> set = new LinkedHashSet<>(protocols);
    set.forEach(p -> checkId(p, config));
    return new MultistreamSelect(
        false, List.of(), set::contains, List.copyOf(set), installer, config);
  }

  /**
   * Creates the responder side with a predicate (for protocol families such as versioned ids);
   * {@code ls} is answered with {@code na}.
   *
   * @param supported tells whether a proposed id is supported; called on the event loop, must be
   *     fast
   * @param installer installs the handlers of the agreed protocol
   * @param config limits ({@link MssConfig#lazy()} is ignored)
   * @return a new handler, for one channel
   */
  public static MultistreamSelect responder(
      Predicate<String> supported, ProtocolInstaller installer, MssConfig config) {
    return new MultistreamSelect(
        false, List.of(), Objects.requireNonNull(supported), null, installer, config);
  }

  private static void checkId(String p, MssConfig config) {
    if (p == null
        || p.isBlank()
        || p.indexOf('\n') >= 0
        || p.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1
            > config.maxMessageLength()) {
      throw new IllegalArgumentException(
          "invalid protocol id (blank, contains a newline or longer than the message limit): " + p);
    }
  }

  /**
   * Returns the future of the agreed protocol id. It completes on the event loop after the
   * installer ran and before leftover bytes are passed on; see the class documentation for the
   * failure types.
   *
   * @return the future, never {@code null}
   */
  public CompletableFuture<String> selected() {
    return selected;
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
    cumulation = ctx.alloc().buffer(64);
    long nanos = config.timeout().toNanos();
    timeoutTask =
        ctx.executor()
            .schedule(
                () ->
                    fail(
                        ctx,
                        new TimeoutException(
                            "multistream-select negotiation did not finish within "
                                + config.timeout())),
                nanos,
                TimeUnit.NANOSECONDS);
    if (initiator) {
      ctx.writeAndFlush(MssCodec.encode(ctx.alloc(), HEADER, proposals.get(0)))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      if (config.lazy()) {
        try {
          installed = true;
          installer.install(proposals.get(0), ctx.pipeline());
        } catch (Throwable t) {
          fail(ctx, t);
          return;
        }
      }
    }
    if (!ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (done || cumulation == null) {
        return; // failed already: drop input
      }
      cumulation.writeBytes(buf);
    } finally {
      buf.release();
    }
    boolean flush = false;
    try {
      String message;
      while (!done
          && (message = MssCodec.readMessage(cumulation, config.maxMessageLength())) != null) {
        flush |= initiator ? onInitiatorMessage(ctx, message) : onResponderMessage(ctx, message);
      }
      if (!done) {
        cumulation.discardSomeReadBytes();
      }
    } catch (Throwable t) {
      fail(ctx, t);
    } finally {
      if (flush) {
        ctx.flush();
      }
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (!done && !ctx.channel().config().isAutoRead()) {
      ctx.read();
    }
    ctx.fireChannelReadComplete();
  }

  private boolean onInitiatorMessage(ChannelHandlerContext ctx, String message) {
    if (!headerReceived) {
      if (!HEADER.equals(message)) {
        throw new ProtocolViolationException(
            "multistream-select: expected header " + HEADER + ", got '" + printable(message) + "'");
      }
      headerReceived = true;
      return false;
    }
    String current = proposals.get(proposalIndex);
    if (current.equals(message)) {
      succeed(ctx, current);
      return false;
    }
    if (!NA.equals(message)) {
      throw new ProtocolViolationException(
          "multistream-select: expected '"
              + current
              + "' or 'na' in answer to a proposal, got '"
              + printable(message)
              + "'");
    }
    if (config.lazy()) {
      fail(ctx, new ProtocolNotSupportedException(proposals));
      return false;
    }
    proposalIndex++;
    if (proposalIndex >= proposals.size()) {
      fail(ctx, new ProtocolNotSupportedException(proposals));
      return false;
    }
    ByteBuf next = ctx.alloc().buffer();
    MssCodec.writeMessage(next, proposals.get(proposalIndex));
    ctx.write(next).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    return true;
  }

  private boolean onResponderMessage(ChannelHandlerContext ctx, String message) {
    ByteBuf out = ctx.alloc().buffer();
    try {
      if (!headerReceived) {
        if (!HEADER.equals(message)) {
          throw new ProtocolViolationException(
              "multistream-select: expected header "
                  + HEADER
                  + ", got '"
                  + printable(message)
                  + "'");
        }
        headerReceived = true;
        MssCodec.writeMessage(out, HEADER);
        ctx.write(out.retain()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return true;
      }
      if (!HEADER.equals(message)
          && !NA.equals(message)
          && !LS.equals(message)
          && supported.test(message)) {
        MssCodec.writeMessage(out, message);
        ctx.writeAndFlush(out.retain()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        succeed(ctx, message);
        return false;
      }
      if (++rounds > config.maxRounds()) {
        throw new ProtocolViolationException(
            "multistream-select: remote made more than "
                + config.maxRounds()
                + " proposals without agreement");
      }
      if (LS.equals(message) && listing != null) {
        writeListing(out);
      } else {
        MssCodec.writeMessage(out, NA);
      }
      ctx.write(out.retain()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      return true;
    } finally {
      out.release();
    }
  }

  /**
   * The ls answer: one message holding each protocol as its own length-prefixed line, then a
   * newline.
   */
  private void writeListing(ByteBuf out) {
    ByteBuf body = out.alloc().buffer();
    try {
      for (String p : listing) {
        MssCodec.writeMessage(body, p);
      }
      body.writeByte('\n');
      MssCodec.writeUvarint(out, body.readableBytes());
      out.writeBytes(body);
    } finally {
      body.release();
    }
  }

  private void succeed(ChannelHandlerContext ctx, String protocol) {
    done = true;
    cancelTimeout();
    try {
      if (!installed) {
        installed = true;
        installer.install(protocol, ctx.pipeline());
      }
    } catch (Throwable t) {
      done = false;
      fail(ctx, t);
      return;
    }
    LOG.debug(
        "{} negotiated {} as {}", ctx.channel(), protocol, initiator ? "initiator" : "responder");
    selected.complete(protocol);
    forwardOnRemove = true;
    ctx.pipeline().remove(this);
  }

  private void fail(ChannelHandlerContext ctx, Throwable cause) {
    if (done && selected.isDone()) {
      return;
    }
    done = true;
    cancelTimeout();
    LOG.debug("{} multistream-select failed: {}", ctx.channel(), cause.toString());
    selected.completeExceptionally(cause);
    ctx.close();
  }

  private void cancelTimeout() {
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
      timeoutTask = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!selected.isDone()) {
      if (ctx.channel() instanceof YamuxStream s && s.isReset()) {
        // a responder resets a stream it will not take (its stream limits) before negotiating
        fail(
            ctx,
            new StreamResetException(
                "stream reset during multistream-select negotiation (the remote may have refused it"
                    + " because of its stream limits)"));
      } else {
        fail(
            ctx,
            new ConnectionClosedException("channel closed during multistream-select negotiation"));
      }
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!selected.isDone()) {
      fail(ctx, cause);
    } else {
      ctx.fireExceptionCaught(cause);
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelTimeout();
    ByteBuf rest = cumulation;
    cumulation = null;
    if (rest == null) {
      return;
    }
    if (forwardOnRemove && rest.isReadable()) {
      ctx.fireChannelRead(rest);
      ctx.fireChannelReadComplete();
    } else {
      rest.release();
    }
    if (!selected.isDone()) {
      selected.completeExceptionally(
          new IllegalStateException(
              "multistream-select handler removed before negotiation finished"));
    }
  }

  private static String printable(String s) {
    String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
    StringBuilder b = new StringBuilder(cut.length());
    for (char c : cut.toCharArray()) {
      b.append(Character.isISOControl(c) ? '?' : c);
    }
    return b.toString();
  }

  /**
   * Returns a list of the proposals, for diagnostics.
   *
   * @return the initiator's proposals (empty for a responder)
   */
  public List<String> proposals() {
    return new ArrayList<>(proposals);
  }
}
