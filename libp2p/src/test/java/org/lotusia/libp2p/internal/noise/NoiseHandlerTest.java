package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.Libp2pException;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

class NoiseHandlerTest {

  private static final IdentityPrivateKey ID_A = Keys.generateEd25519();
  private static final IdentityPrivateKey ID_B = Keys.generateEd25519();

  private static PeerId peer(IdentityPrivateKey k) {
    return PeerId.fromPublicKey(k.publicKey());
  }

  private static SecureSession done(CompletableFuture<SecureSession> f) throws Exception {
    assertThat(f).isDone();
    return f.get();
  }

  private static Throwable failure(CompletableFuture<SecureSession> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.get();
      throw new AssertionError("not failed");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  @ParameterizedTest
  @EnumSource(KeyType.class)
  void handshakeWithEveryIdentityKeyTypeAgainstEd25519(KeyType type) throws Exception {
    IdentityPrivateKey idA = Keys.generate(type);
    NoiseHandler ha = NoiseSecurity.initiator(idA, peer(ID_B));
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      SecureSession sa = done(ha.session());
      SecureSession sb = done(hb.session());
      assertThat(sa.remotePeer()).isEqualTo(peer(ID_B));
      assertThat(sb.remotePeer()).isEqualTo(peer(idA));
      assertThat(sb.remoteKey().type()).isEqualTo(type);
      assertThat(sa.handshakeHash()).isEqualTo(sb.handshakeHash());
      assertThat(sa.remoteStreamMuxers()).isEmpty();

      p.a.writeOutbound(Unpooled.copiedBuffer("ping", StandardCharsets.UTF_8));
      p.b.writeOutbound(Unpooled.copiedBuffer("pong", StandardCharsets.UTF_8));
      p.pump();
      assertThat(new String(ChannelPair.drainInbound(p.b), StandardCharsets.UTF_8))
          .isEqualTo("ping");
      assertThat(new String(ChannelPair.drainInbound(p.a), StandardCharsets.UTF_8))
          .isEqualTo("pong");
    }
  }

  @Test
  void secp256k1OnBothSides() throws Exception {
    IdentityPrivateKey idA = Keys.generate(KeyType.SECP256K1);
    IdentityPrivateKey idB = Keys.generate(KeyType.SECP256K1);
    NoiseHandler ha = NoiseSecurity.initiator(idA, peer(idB));
    NoiseHandler hb = NoiseSecurity.responder(idB);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      assertThat(done(ha.session()).remotePeer()).isEqualTo(peer(idB));
      assertThat(done(hb.session()).remotePeer()).isEqualTo(peer(idA));
    }
  }

  @Test
  void sharedSecurityServesManyConnectionsAndAnnouncesExtensions() throws Exception {
    NoiseSecurity a = NoiseSecurity.builder(ID_A).streamMuxers(List.of("/yamux/1.0.0")).build();
    NoiseSecurity b =
        NoiseSecurity.builder(ID_B).webtransportCerthashes(List.of(new byte[] {1, 2})).build();
    for (int i = 0; i < 3; i++) {
      NoiseHandler ha = a.newInitiator(null);
      NoiseHandler hb = b.newResponder();
      try (ChannelPair p = new ChannelPair(ha, hb)) {
        p.pump();
        assertThat(done(hb.session()).remoteStreamMuxers()).containsExactly("/yamux/1.0.0");
        assertThat(done(ha.session()).remoteWebtransportCerthashes())
            .containsExactly(new byte[] {1, 2});
        assertThat(done(ha.session()).remoteStaticKey()).isEqualTo(b.staticPublicKey());
      }
    }
  }

  @Test
  void wrongExpectedPeerFailsTheDialerAndCloses() {
    IdentityPrivateKey other = Keys.generateEd25519();
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, peer(other));
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      Throwable[] seen = new Throwable[1];
      ha.session().whenComplete((s, e) -> seen[0] = e);
      assertThat(seen[0])
          .as("callbacks see the cause itself, not a CompletionException")
          .isInstanceOf(UnexpectedPeerException.class);
      Throwable t = failure(ha.session());
      assertThat(t)
          .isInstanceOf(UnexpectedPeerException.class)
          .hasMessage("remote peer is " + peer(ID_B) + ", expected " + peer(other));
      assertThat(p.a.isOpen()).isFalse();
      assertThat(hb.session()).isNotDone(); // message 3 was never sent
    }
  }

  @Test
  void bytesInTheSameReadAsTheLastHandshakeMessageAreKept() throws Exception {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      // The dialer sends data as soon as its session is up, right behind message 3.
      ha.session()
          .thenAccept(
              s -> p.a.writeOutbound(Unpooled.copiedBuffer("early", StandardCharsets.UTF_8)));
      ChannelPair.move(p.a, p.b); // message 1
      ChannelPair.move(p.b, p.a); // message 2; the dialer answers with message 3 + data
      ByteBuf both = ChannelPair.drainOutbound(p.a);
      assertThat(both.readableBytes()).isGreaterThan(2 + 64 + 2 + 16);
      boolean[] sessionFirst = {false};
      hb.session().thenAccept(s -> sessionFirst[0] = p.b.inboundMessages().isEmpty());
      p.b.writeInbound(both); // one read carrying message 3 and the first transport message
      assertThat(done(hb.session()).remotePeer()).isEqualTo(peer(ID_A));
      assertThat(sessionFirst[0]).isTrue();
      assertThat(new String(ChannelPair.drainInbound(p.b), StandardCharsets.UTF_8))
          .isEqualTo("early");
    }
  }

  @Test
  void writesAreFramedIntoMessagesOfAtMost65535Bytes() throws Exception {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      int size = 2 * NoiseHandler.MAX_PLAINTEXT + 1;
      byte[] data = new byte[size];
      for (int i = 0; i < size; i++) {
        data[i] = (byte) (i * 31);
      }
      p.a.writeOutbound(Unpooled.directBuffer(size).writeBytes(data)); // direct: the copy path
      ByteBuf wire = ChannelPair.drainOutbound(p.a);
      assertThat(wire.readableBytes()).isEqualTo(size + 3 * 18);
      assertThat(wire.getUnsignedShort(0)).isEqualTo(65535);
      assertThat(wire.getUnsignedShort(2 + 65535)).isEqualTo(65535);
      assertThat(wire.getUnsignedShort(2 * (2 + 65535))).isEqualTo(17);
      p.b.writeInbound(wire);
      assertThat(ChannelPair.drainInbound(p.b)).isEqualTo(data);
    }
  }

  @Test
  void tamperedCiphertextClosesWithAViolation() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      p.a.writeOutbound(Unpooled.copiedBuffer("secret message", StandardCharsets.UTF_8));
      ByteBuf wire = ChannelPair.drainOutbound(p.a);
      wire.setByte(5, wire.getByte(5) ^ 0x40);
      assertThatThrownBy(() -> p.b.writeInbound(wire))
          .isInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining("authentication failed");
      assertThat(p.b.isOpen()).isFalse();
      assertThat(p.b.inboundMessages()).isEmpty();
    }
  }

  @Test
  void transportMessageShorterThanTheTagIsAViolation() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      assertThatThrownBy(() -> p.b.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3})))
          .isInstanceOf(ProtocolViolationException.class)
          .hasMessageContaining("shorter than the 16-byte tag");
      assertThat(p.b.isOpen()).isFalse();
    }
  }

  @Test
  void oversizedHandshakeMessageIsRejectedOnItsLengthPrefix() {
    NoiseSecurity small = NoiseSecurity.builder(ID_B).maxHandshakeMessageLength(1024).build();
    NoiseHandler hb = small.newResponder();
    EmbeddedChannel ch = new EmbeddedChannel(hb);
    ch.writeInbound(
        Unpooled.wrappedBuffer(new byte[] {0x04, 0x01, 0, 0})); // claims 1025 bytes, sends 2
    assertThat(failure(hb.session()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("message 1 of 1025 bytes exceeds the limit of 1024");
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void undersizedHandshakeMessagesAreViolations() {
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    EmbeddedChannel ch = new EmbeddedChannel(hb);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
    assertThat(failure(hb.session()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("message 1 is 10 bytes");
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();

    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    EmbeddedChannel dialer = new EmbeddedChannel(ha);
    ((ByteBuf) dialer.readOutbound()).release(); // message 1
    dialer.writeInbound(Unpooled.wrappedBuffer(new byte[2 + 95]).setShort(0, 95));
    assertThat(failure(ha.session()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("message 2 is 95 bytes");
    assertThat(dialer.isOpen()).isFalse();
    dialer.finishAndReleaseAll();
  }

  @Test
  void twoInitiatorsOnOneConnectionFailAsASimultaneousOpen() {
    // What TCP makes of two hosts dialling each other's listen port at once: one connection on
    // which both sides are dialers, so each reads the other's message 1 where message 2 belongs.
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, peer(ID_B));
    NoiseHandler hb = NoiseSecurity.initiator(ID_B, peer(ID_A));
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      for (NoiseHandler h : List.of(ha, hb)) {
        assertThat(failure(h.session()))
            .isInstanceOf(SimultaneousOpenException.class)
            .isInstanceOf(ProtocolViolationException.class)
            .hasMessageContaining("message 2 is 32 bytes")
            .hasMessageContaining("simultaneous open");
      }
      assertThat(p.a.isOpen()).isFalse();
      assertThat(p.b.isOpen()).isFalse();
    }
  }

  @Test
  void garbageInMessageTwoFailsAuthentication() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    EmbeddedChannel dialer = new EmbeddedChannel(ha);
    ((ByteBuf) dialer.readOutbound()).release();
    ByteBuf m2 = Unpooled.buffer().writeShort(200);
    byte[] body = new byte[200];
    body[0] =
        9; // a valid-looking ephemeral key, then junk where the encrypted static key should be
    m2.writeBytes(body);
    dialer.writeInbound(m2);
    assertThat(failure(ha.session()))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("authentication failed");
    dialer.finishAndReleaseAll();
  }

  @Test
  void handshakeTimesOut() {
    NoiseSecurity sec = NoiseSecurity.builder(ID_B).handshakeTimeout(Duration.ofSeconds(3)).build();
    NoiseHandler hb = sec.newResponder();
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.freezeTime();
    ch.pipeline().addLast(hb); // added to an active channel: the handshake clock starts now
    ch.advanceTimeBy(2999, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(hb.session()).isNotDone();
    ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(failure(hb.session()))
        .isInstanceOf(TimeoutException.class)
        .hasMessageContaining("3000 ms");
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void closeDuringHandshakeFailsTheSession() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    EmbeddedChannel ch = new EmbeddedChannel(ha);
    ch.close();
    assertThat(failure(ha.session()))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("connection closed during the Noise handshake");
    ch.finishAndReleaseAll();
  }

  @Test
  void writeBeforeHandshakeFailsWithoutQueueing() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    EmbeddedChannel ch = new EmbeddedChannel(ha);
    ((ByteBuf) ch.readOutbound()).release();
    ByteBuf data = Unpooled.copiedBuffer("too early", StandardCharsets.UTF_8);
    ChannelFuture f = ch.writeOneOutbound(data);
    assertThat(f.cause())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("handshake not complete");
    assertThat(data.refCnt()).isZero();
    assertThat(ch.<Object>readOutbound()).isNull();
    ch.finishAndReleaseAll();
  }

  @Test
  void emptyWriteSendsNothing() throws Exception {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      // An empty write sends no Noise message and does not disturb the nonce sequence.
      assertThat(done(ha.session())).isNotNull();
      p.a.writeOutbound(Unpooled.EMPTY_BUFFER);
      assertThat(((ByteBuf) p.a.readOutbound()).readableBytes()).isZero();
      p.a.writeOutbound(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8));
      p.pump();
      assertThat(ChannelPair.drainInbound(p.b)).containsExactly('x');
    }
  }

  @Test
  void exhaustedSendNonceFailsTheWriteAndCloses() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      ha.senderCipher().setNonce(-2L); // 2^64 - 2: one message left
      p.a.writeOutbound(Unpooled.copiedBuffer("last", StandardCharsets.UTF_8));
      assertThat(((ByteBuf) p.a.readOutbound()).release()).isTrue();
      ByteBuf more = Unpooled.copiedBuffer("one too many", StandardCharsets.UTF_8);
      ChannelFuture f = p.a.writeOneOutbound(more);
      assertThat(f).isNotDone(); // encrypted at the flush
      assertThatThrownBy(p.a::flushOutbound) // the failure also reaches the handlers after Noise
          .isInstanceOf(Libp2pException.class)
          .hasMessageContaining("nonce space exhausted");
      assertThat(f.cause())
          .isInstanceOf(Libp2pException.class)
          .hasMessageContaining("nonce space exhausted");
      assertThat(more.refCnt()).isZero();
      assertThat(p.a.isOpen()).isFalse();
    }
  }

  @Test
  void exhaustedReceiveNonceCloses() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      hb.receiverCipher().setNonce(-1L);
      p.a.writeOutbound(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8));
      assertThatThrownBy(p::pump)
          .isInstanceOf(Libp2pException.class)
          .hasMessageContaining("nonce space exhausted");
      assertThat(p.b.isOpen()).isFalse();
    }
  }

  @Test
  void handshakeCompletesWithAutoReadOff() throws Exception {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    EmbeddedChannel a = new EmbeddedChannel();
    EmbeddedChannel b = new EmbeddedChannel();
    a.config().setAutoRead(false);
    b.config().setAutoRead(false);
    int[] reads = {0, 0};
    a.pipeline()
        .addLast(
            new io.netty.channel.ChannelOutboundHandlerAdapter() {
              @Override
              public void read(io.netty.channel.ChannelHandlerContext ctx) {
                reads[0]++;
              }
            });
    b.pipeline()
        .addLast(
            new io.netty.channel.ChannelOutboundHandlerAdapter() {
              @Override
              public void read(io.netty.channel.ChannelHandlerContext ctx) {
                reads[1]++;
              }
            });
    a.pipeline().addLast(ha);
    b.pipeline().addLast(hb);
    assertThat(reads[0]).as("dialer asks for message 2").isEqualTo(1);
    assertThat(reads[1]).as("listener asks for message 1").isEqualTo(1);
    ChannelPair.move(a, b);
    assertThat(reads[1]).as("listener asks for message 3").isGreaterThanOrEqualTo(2);
    ChannelPair.move(b, a);
    ChannelPair.move(a, b);
    assertThat(done(ha.session()).remotePeer()).isEqualTo(peer(ID_B));
    assertThat(done(hb.session()).remotePeer()).isEqualTo(peer(ID_A));
    a.finishAndReleaseAll();
    b.finishAndReleaseAll();
  }

  @Test
  void ioErrorDuringHandshakeBecomesConnectionClosed() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    EmbeddedChannel ch = new EmbeddedChannel(ha);
    ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
    assertThat(failure(ha.session()))
        .isInstanceOf(ConnectionClosedException.class)
        .hasMessageContaining("Connection reset by peer");
    assertThat(ch.isOpen()).isFalse();
    ch.finishAndReleaseAll();
  }

  @Test
  void smallWritesBeforeAFlushShareOneNoiseMessage() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      List<ChannelFuture> writes = new java.util.ArrayList<>();
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < 100; i++) {
        String part = String.format("msg-%05d;", i);
        expected.append(part);
        writes.add(p.a.writeOneOutbound(Unpooled.copiedBuffer(part, StandardCharsets.UTF_8)));
      }
      assertThat(p.a.<Object>readOutbound()).isNull();
      p.a.flushOutbound();
      ByteBuf wire = p.a.readOutbound();
      assertThat(p.a.<Object>readOutbound()).isNull();
      assertThat(wire.readableBytes()).isEqualTo(2 + 1000 + 16);
      assertThat(wire.getUnsignedShort(0)).isEqualTo(1016);
      assertThat(writes).allMatch(ChannelFuture::isSuccess);
      p.b.writeInbound(wire);
      assertThat(new String(ChannelPair.drainInbound(p.b), StandardCharsets.UTF_8))
          .isEqualTo(expected.toString());
    }
  }

  @Test
  void queuedWritesFailWhenTheConnectionCloses() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      ByteBuf data = Unpooled.copiedBuffer("never flushed", StandardCharsets.UTF_8);
      ChannelFuture f = p.a.writeOneOutbound(data);
      p.a.close();
      assertThat(f.cause()).isInstanceOf(ConnectionClosedException.class);
      assertThat(data.refCnt()).isZero();
    }
  }

  @Test
  void compositeWritesWithOffsetHeapComponentsArriveIntact() {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, null);
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      byte[] big = new byte[300_000];
      new java.util.SplittableRandom(5).nextBytes(big);
      ByteBuf first = Unpooled.wrappedBuffer(big, 7, 200_000); // arrayOffset 7
      first.skipBytes(3); // and a reader index inside it
      ByteBuf second = Unpooled.directBuffer(50_000).writeBytes(big, 200_007, 50_000);
      ByteBuf third = Unpooled.wrappedBuffer(big, 250_007, 49_993);
      io.netty.buffer.CompositeByteBuf c = Unpooled.compositeBuffer();
      c.addComponents(true, first, second, third);
      byte[] expected = java.util.Arrays.copyOfRange(big, 10, 300_000);
      p.a.writeOutbound(c);
      // and a run of small writes that coalesce around a large one
      p.a.writeOneOutbound(Unpooled.wrappedBuffer(big, 0, 10));
      p.a.writeOneOutbound(Unpooled.wrappedBuffer(big, 10, 100_000));
      p.a.writeOneOutbound(Unpooled.wrappedBuffer(big, 100_010, 5));
      p.a.flushOutbound();
      p.pump();
      byte[] got = ChannelPair.drainInbound(p.b);
      byte[] tail = java.util.Arrays.copyOfRange(big, 0, 100_015);
      byte[] all = java.util.Arrays.copyOf(expected, expected.length + tail.length);
      System.arraycopy(tail, 0, all, expected.length, tail.length);
      assertThat(got).isEqualTo(all);
    }
  }
}
