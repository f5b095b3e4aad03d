package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.testing.TrackingAllocator;

/**
 * The remote side of the Noise fuzz tests: fixed identity, static and ephemeral keys (so that a
 * seed means the same thing in every run), a test-side {@link HandshakeState} that writes whatever
 * payload the fuzzer chose, and the handler under test in an {@link EmbeddedChannel} whose buffers
 * come from a {@link TrackingAllocator}.
 */
final class NoiseFuzzPeer {

  static final IdentityPrivateKey LOCAL_ID = Keys.ed25519FromSeed(filled(1));
  static final IdentityPrivateKey REMOTE_ID = Keys.ed25519FromSeed(filled(2));
  static final PeerId REMOTE_PEER = PeerId.fromPublicKey(REMOTE_ID.publicKey());
  static final X25519KeyPair REMOTE_STATIC = X25519KeyPair.fromPrivateKey(filled(3));
  static final X25519KeyPair REMOTE_EPHEMERAL = X25519KeyPair.fromPrivateKey(filled(4));

  /**
   * The ChaCha20-Poly1305 implementations that load here: an input picks the handler's, since
   * each opens (and refuses) messages through code of its own, heap or direct.
   */
  static final List<AeadImplementation> AEADS =
      Arrays.stream(AeadImplementation.values()).filter(AeadImplementation::isAvailable).toList();

  /**
   * The handler side, one per implementation: a handshake message limit well below 64 KiB, so the
   * limit is reachable.
   */
  private static final Map<AeadImplementation, NoiseSecurity> LOCAL = new EnumMap<>(AeadImplementation.class);

  static {
    for (AeadImplementation aead : AEADS) {
      LOCAL.put(
          aead,
          NoiseSecurity.builder(LOCAL_ID)
              .staticKey(filled(5))
              .maxHandshakeMessageLength(1024)
              .streamMuxers(List.of("/yamux/1.0.0"))
              .aead(aead)
              .build());
    }
  }

  /** The payload a well-behaved remote sends: its identity, signing its static key. */
  static final byte[] VALID_REMOTE_PAYLOAD =
      NoisePayloads.create(REMOTE_ID, REMOTE_STATIC.publicKey(), List.of("/yamux/1.0.0"), List.of());

  final TrackingAllocator alloc = new TrackingAllocator();
  final EmbeddedChannel channel = new EmbeddedChannel();
  final NoiseHandler handler;
  final Received received = new Received();
  final HandshakeState remote;

  /** Deliver input in direct buffers (the handler copies those out) rather than heap buffers. */
  boolean directInput;

  /**
   * @param handlerIsInitiator role of the handler under test; the remote takes the other one
   * @param pick picks the handler's implementation from {@link #AEADS} (modulo its size); the
   *     remote always uses the plain Java one, so each is checked against it
   */
  NoiseFuzzPeer(boolean handlerIsInitiator, int pick) {
    channel.config().setAllocator(alloc);
    NoiseSecurity local = LOCAL.get(AEADS.get(Math.floorMod(pick, AEADS.size())));
    handler = handlerIsInitiator ? local.newInitiator(null) : local.newResponder();
    channel.pipeline().addLast(handler, received);
    remote =
        new HandshakeState(
            !handlerIsInitiator, new byte[0], REMOTE_STATIC, REMOTE_EPHEMERAL, AeadImplementation.JAVA);
  }

  /** Feeds {@code wire} to the handler in chunks of {@code chunk} bytes while it is open. */
  void feed(byte[] wire, int chunk) {
    for (int at = 0; at < wire.length && channel.isOpen(); at += chunk) {
      int n = Math.min(chunk, wire.length - at);
      ByteBuf in = directInput ? alloc.directBuffer(n) : alloc.heapBuffer(n);
      channel.writeInbound(in.writeBytes(wire, at, n));
      channel.runPendingTasks();
    }
  }

  /** Feeds one length-prefixed Noise message. */
  void feedMessage(byte[] message) {
    feed(frame(message), Integer.MAX_VALUE);
  }

  /** The bytes the handler wrote, concatenated; releases them. */
  byte[] written() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Object m;
    while ((m = channel.readOutbound()) != null) {
      ByteBuf b = (ByteBuf) m;
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      out.writeBytes(a);
    }
    return out.toByteArray();
  }

  /** The one Noise message the handler wrote (its length prefix removed). */
  byte[] writtenMessage() {
    byte[] w = written();
    assertThat(w.length).isGreaterThanOrEqualTo(2);
    int len = ((w[0] & 0xff) << 8) | (w[1] & 0xff);
    assertThat(w.length).isEqualTo(2 + len);
    return Arrays.copyOfRange(w, 2, w.length);
  }

  static byte[] frame(byte[] message) {
    byte[] out = new byte[2 + message.length];
    out[0] = (byte) (message.length >>> 8);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, 2, message.length);
    return out;
  }

  /**
   * Checks the handshake outcome: pending, established with the one remote that can sign its
   * static key, or failed with a protocol violation and the connection closed.
   */
  void checkHandshakeOutcome() {
    CompletableFuture<SecureSession> s = handler.session();
    if (!s.isDone()) {
      assertThat(channel.isOpen()).isTrue();
      return;
    }
    try {
      SecureSession session = s.get();
      assertThat(session.remotePeer()).isEqualTo(REMOTE_PEER);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ProtocolViolationException.class);
      assertThat(e.getCause().getMessage()).isNotBlank();
      assertThat(channel.isOpen()).as("a failed handshake closes the connection").isFalse();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** Closes the channel and checks that every buffer was released. */
  void finish() {
    channel.finishAndReleaseAll();
    assertThat(handler.session()).isDone();
    assertThat(alloc.leaked()).as("unreleased buffers").isEmpty();
  }

  static byte[] filled(int value) {
    byte[] b = new byte[32];
    Arrays.fill(b, (byte) value);
    return b;
  }

  /** What the handler passes on after the handshake: plaintext bytes and a failure, if any. */
  static final class Received extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream data = new ByteArrayOutputStream();
    Throwable failure;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        data.writeBytes(a);
      } finally {
        b.release();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      // the SecureSession event; nothing to release
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      assertThat(failure).as("one failure per session").isNull();
      failure = cause;
    }
  }
}
