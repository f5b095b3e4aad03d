package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

class NoiseTransferTest {

  private static final IdentityPrivateKey ID_A = Keys.generateEd25519();
  private static final IdentityPrivateKey ID_B = Keys.generateEd25519();

  /**
   * 64 MiB in writes of random size and buffer kind (heap, direct, composite), compared by digest.
   */
  @Test
  void sixtyFourMebibytesArriveByteForByte() throws Exception {
    NoiseHandler ha = NoiseSecurity.initiator(ID_A, PeerId.fromPublicKey(ID_B.publicKey()));
    NoiseHandler hb = NoiseSecurity.responder(ID_B);
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long total = 64L << 20;
    long receivedBytes = 0;
    SplittableRandom rnd = new SplittableRandom(42);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      assertThat(hb.session()).isCompleted();
      long left = total;
      int round = 0;
      while (left > 0) {
        int size = (int) Math.min(left, 1 + rnd.nextInt(3 << 20));
        byte[] data = new byte[size];
        rnd.nextBytes(data);
        sent.update(data);
        p.a.writeOutbound(buffer(data, round++));
        left -= size;
        ChannelPair.move(p.a, p.b);
        Object o;
        while ((o = p.b.readInbound()) != null) {
          ByteBuf b = (ByteBuf) o;
          receivedBytes += b.readableBytes();
          received.update(b.nioBuffer());
          b.release();
        }
      }
    }
    assertThat(receivedBytes).isEqualTo(total);
    assertThat(received.digest()).isEqualTo(sent.digest());
  }

  /**
   * The shapes bulk Yamux traffic gives Noise, once per implementation: several writes of direct
   * buffers per flush (a frame header and a slice of the payload, several frames), so messages are
   * gathered from pieces; and ciphertext arriving in reads cut at random points, so messages end in
   * a later read (or several later reads) than they start in. 16 MiB compared by digest.
   */
  @ParameterizedTest
  @MethodSource("org.lotusia.libp2p.internal.noise.CipherStateTest#implementations")
  void directPiecesAndReadsCutAnywhereArriveByteForByte(AeadImplementation impl) throws Exception {
    NoiseHandler ha =
        NoiseSecurity.builder(ID_A)
            .aead(impl)
            .build()
            .newInitiator(PeerId.fromPublicKey(ID_B.publicKey()));
    NoiseHandler hb = NoiseSecurity.builder(ID_B).aead(impl).build().newResponder();
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    long total = 16L << 20;
    long sentBytes = 0;
    long receivedBytes = 0;
    SplittableRandom rnd = new SplittableRandom(11);
    try (ChannelPair p = new ChannelPair(ha, hb)) {
      p.pump();
      assertThat(hb.session()).isCompleted();
      while (sentBytes < total) {
        int writes = 1 + rnd.nextInt(8);
        for (int i = 0; i < writes; i++) {
          byte[] data = new byte[1 + rnd.nextInt(70_000)];
          rnd.nextBytes(data);
          sent.update(data);
          sentBytes += data.length;
          p.a.write(Unpooled.directBuffer(data.length).writeBytes(data));
        }
        p.a.flush();
        // the ciphertext of this flush, cut into reads of 1 byte to 200 KiB
        ByteBuf wire = Unpooled.buffer();
        ByteBuf out;
        while ((out = p.a.readOutbound()) != null) {
          wire.writeBytes(out);
          out.release();
        }
        while (wire.isReadable()) {
          int n = Math.min(wire.readableBytes(), 1 + rnd.nextInt(200 * 1024));
          ByteBuf read = Unpooled.directBuffer(n);
          wire.readBytes(read, n);
          p.b.writeInbound(read);
          Object o;
          while ((o = p.b.readInbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            receivedBytes += b.readableBytes();
            received.update(b.nioBuffer());
            b.release();
          }
        }
        wire.release();
      }
    }
    assertThat(receivedBytes).isEqualTo(sentBytes);
    assertThat(received.digest()).isEqualTo(sent.digest());
  }

  private static ByteBuf buffer(byte[] data, int round) {
    switch (round % 3) {
      case 0:
        return Unpooled.wrappedBuffer(data);
      case 1:
        return Unpooled.directBuffer(data.length).writeBytes(data);
      default:
        CompositeByteBuf c = Unpooled.compositeBuffer();
        int half = data.length / 2;
        c.addComponent(true, Unpooled.copiedBuffer(data, 0, half));
        c.addComponent(
            true,
            Unpooled.directBuffer(data.length - half).writeBytes(data, half, data.length - half));
        return c;
    }
  }

  /**
   * Real event loops: a dialer sends 8 MiB, the listener echoes it back through its own Noise
   * session; once per ChaCha20-Poly1305 implementation. Both ends share two event loops, so each
   * thread's cipher instances serve two connections, and pooled buffers cross threads (the case
   * that forbids handing pooled heap arrays to native code).
   */
  @ParameterizedTest
  @MethodSource("org.lotusia.libp2p.internal.noise.CipherStateTest#implementations")
  void echoOverLocalChannels(AeadImplementation impl) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, LocalIoHandler.newFactory());
    LocalAddress address = new LocalAddress("noise-echo-" + System.nanoTime());
    NoiseSecurity server = NoiseSecurity.builder(ID_B).aead(impl).build();
    NoiseSecurity client = NoiseSecurity.builder(ID_A).aead(impl).build();
    AtomicReference<CompletableFuture<SecureSession>> serverSession = new AtomicReference<>();
    try {
      Channel listener =
          new ServerBootstrap()
              .group(group)
              .channel(LocalServerChannel.class)
              .childHandler(
                  new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel ch) {
                      NoiseHandler h = server.newResponder();
                      ch.pipeline().addLast(NoiseHandler.NAME, h);
                      serverSession.set(
                          h.session()
                              .thenApply(
                                  s -> {
                                    ch.pipeline()
                                        .addLast(
                                            new ChannelInboundHandlerAdapter() {
                                              @Override
                                              public void channelRead(
                                                  ChannelHandlerContext ctx, Object msg) {
                                                ctx.writeAndFlush(
                                                    msg); // echo: the decrypted buffer goes back
                                                // out, encrypted again
                                              }
                                            });
                                    return s;
                                  }));
                    }
                  })
              .bind(address)
              .sync()
              .channel();

      int total = 8 << 20;
      byte[] data = new byte[total];
      new SplittableRandom(7).nextBytes(data);
      MessageDigest echoed = MessageDigest.getInstance("SHA-256");
      AtomicLong got = new AtomicLong();
      NoiseHandler dialer = client.newInitiator(PeerId.fromPublicKey(ID_B.publicKey()));
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(LocalChannel.class)
              .handler(
                  new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel c) {
                      c.pipeline().addLast(NoiseHandler.NAME, dialer);
                      c.pipeline()
                          .addLast(
                              new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                  ByteBuf b = (ByteBuf) msg;
                                  try {
                                    echoed.update(b.nioBuffer());
                                    got.addAndGet(b.readableBytes());
                                  } finally {
                                    b.release();
                                  }
                                }
                              });
                    }
                  })
              .connect(address)
              .sync()
              .channel();

      SecureSession s = dialer.session().get(10, TimeUnit.SECONDS);
      assertThat(dialer.senderCipher().implementation()).isEqualTo(impl);
      assertThat(s.remotePeer()).isEqualTo(PeerId.fromPublicKey(ID_B.publicKey()));
      for (int off = 0; off < total; off += 1 << 20) {
        ch.write(Unpooled.wrappedBuffer(data, off, 1 << 20));
      }
      ch.flush();
      await().atMost(Duration.ofSeconds(60)).until(() -> got.get() == total);
      assertThat(echoed.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
      assertThat(serverSession.get().get(1, TimeUnit.SECONDS).remotePeer())
          .isEqualTo(PeerId.fromPublicKey(ID_A.publicKey()));
      ch.close().sync();
      listener.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
