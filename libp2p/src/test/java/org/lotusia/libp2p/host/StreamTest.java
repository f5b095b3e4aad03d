package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.StreamResetException;
import org.lotusia.libp2p.host.Hosts.Stack;

class StreamTest {

  private static final String ECHO = "/test/echo/1.0.0";
  private static final String SINK = "/test/sha256/1.0.0";

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @Test
  void hundredConcurrentStreamsEcho() {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = hosts.start(Stack.MEMORY_NOISE);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    EchoStreams.assertConcurrentEchoes(c, ECHO, 100, 1000);
  }

  @Test
  void sixtyFourMebibytesOverTcpNoiseYamuxArriveIntact() throws Exception {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    CompletableFuture<byte[]> digestAtB = new CompletableFuture<>();
    long[] count = new long[1];
    b.setStreamHandler(
        SINK,
        s -> {
          MessageDigest md = sha256();
          s.setReader(
              new StreamReader() {
                @Override
                public void onData(Stream stream, byte[] chunk) {
                  md.update(chunk);
                  count[0] += chunk.length;
                }

                @Override
                public void onEnd(Stream stream) {
                  digestAtB.complete(md.digest());
                  stream.close();
                }
              });
        });
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(SINK)));
    MessageDigest sent = sha256();
    Random random = new Random(42);
    CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
    int chunk = 64 * 1024;
    for (int i = 0; i < 64 * 1024 * 1024 / chunk; i++) {
      byte[] data = new byte[chunk];
      random.nextBytes(data);
      sent.update(data);
      // Wait for each write: the writer is paced by the Yamux window.
      join(chain);
      chain = s.write(data);
    }
    join(chain);
    join(s.closeWrite());
    assertThat(join(digestAtB)).isEqualTo(sent.digest());
    assertThat(count[0]).isEqualTo(64L * 1024 * 1024);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void removedHandlerIsRefusedWithNa() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    join(c.newStream(List.of(ECHO))).reset();
    b.removeStreamHandler(ECHO);
    assertThat(b.protocols()).doesNotContain(ECHO);
    assertThatThrownBy(() -> join(c.newStream(List.of(ECHO))))
        .isInstanceOf(ProtocolNotSupportedException.class);
    // The connection survives a refused protocol.
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void streamOpenedWithItsDataAndHalfCloseIsEchoed() {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = hosts.start(Stack.MEMORY_NOISE);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    byte[] payload = new byte[300_000]; // beyond one Yamux window: the rest waits for credit
    new Random(7).nextBytes(payload);
    Stream s = join(c.newStreamWithData(ECHO, payload, true));
    assertThat(s.protocol()).isEqualTo(ECHO);
    assertThat(join(s.readAll(1 << 20))).isEqualTo(payload);
    assertThatThrownBy(() -> join(s.write(new byte[1])))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closeWrite");
    join(s.closeWrite()); // already half-closed: completes at once

    // without the half-close the stream stays writable, and the host finds the connection
    Stream open = join(a.newStreamWithData(b.peerId(), ECHO, new byte[] {1, 2}, false));
    join(open.write(new byte[] {3}));
    join(open.closeWrite());
    assertThat(join(open.readAll(16))).containsExactly(1, 2, 3);
  }

  @Test
  void streamOpenedWithItsDataFailsWithNaAndTheConnectionSurvives() {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = hosts.start(Stack.MEMORY_NOISE);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    assertThatThrownBy(() -> join(c.newStreamWithData("/test/absent/1", new byte[] {1}, true)))
        .isInstanceOf(ProtocolNotSupportedException.class);
    assertThat(c.isOpen()).isTrue();
    assertThat(join(join(c.newStreamWithData(ECHO, new byte[] {9}, true)).readAll(16)))
        .containsExactly(9);
  }

  @Test
  void firstSupportedProtocolIsChosen() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of("/test/absent/1", ECHO)));
    assertThat(s.protocol()).isEqualTo(ECHO);
  }

  @Test
  void readAllBeyondTheLimitFailsAndResets() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(ECHO)));
    join(s.write(new byte[5000]));
    join(s.closeWrite());
    assertThatThrownBy(() -> join(s.readAll(4096)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("4096");
  }

  @Test
  void remoteResetReachesTheReader() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    b.setStreamHandler(ECHO, s -> s.read(3).thenRun(s::reset));
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(ECHO)));
    join(s.write(new byte[3]));
    assertThatThrownBy(() -> join(s.readAll(100))).isInstanceOf(StreamResetException.class);
    // the write side is gone too, and a write says why
    assertThatThrownBy(() -> join(s.write(new byte[1]))).isInstanceOf(StreamResetException.class);
  }

  @Test
  void throwingHandlerResetsOnlyItsStream() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    b.setStreamHandler(
        "/test/throws/1",
        s -> {
          throw new IllegalStateException("handler bug");
        });
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    Stream bad = join(c.newStream(List.of("/test/throws/1")));
    assertThatThrownBy(() -> join(bad.readAll(10))).isInstanceOf(StreamResetException.class);
    Stream good = join(c.newStream(List.of(ECHO)));
    join(good.write(new byte[] {1, 2, 3}));
    join(good.closeWrite());
    assertThat(join(good.readAll(10))).containsExactly(1, 2, 3);
  }

  @Test
  void slowReaderPushesBackWithoutLosingData() {
    Host a = hosts.start(Stack.MEMORY_NOISE, x -> x.maxStreamBuffer(4096));
    Host b = hosts.start(Stack.MEMORY_NOISE, x -> x.maxStreamBuffer(4096));
    CompletableFuture<Stream> atB = new CompletableFuture<>();
    b.setStreamHandler(SINK, atB::complete);
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(SINK)));
    byte[] data = new byte[2 * 1024 * 1024];
    new Random(7).nextBytes(data);
    CompletableFuture<Void> written = s.write(data).thenCompose(v -> s.closeWrite());
    Stream in = join(atB);
    // Nobody reads yet: the writer cannot finish, 2 MiB exceeds buffer plus Yamux window.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !written.isDone());
    byte[] got = join(in.readAll(data.length));
    join(written);
    assertThat(Arrays.equals(got, data)).isTrue();
  }

  /**
   * A writer that waits for each write's future: while the stream has room the futures are
   * complete when returned (no hand-off per write), a remote that does not read stops it within
   * bounded buffers, and every byte arrives once the remote reads.
   */
  @Test
  void streamingWriterGoesOnAtOnceAndIsPacedByTheReader() throws Exception {
    Host a = hosts.start(Stack.TCP_NOISE, x -> x.maxStreamBuffer(64 * 1024));
    Host b = hosts.start(Stack.TCP_NOISE, x -> x.maxStreamBuffer(64 * 1024));
    CompletableFuture<Stream> atB = new CompletableFuture<>();
    b.setStreamHandler(SINK, atB::complete);
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(SINK)));
    MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
    Random rnd = new Random(5);
    long sent = 0;
    int atOnce = 0;
    CompletableFuture<Void> stalled = null;
    while (stalled == null) {
      assertThat(sent).as("bytes taken while nobody reads").isLessThan(4L << 20);
      byte[] chunk = new byte[64 * 1024];
      rnd.nextBytes(chunk);
      sentDigest.update(chunk);
      sent += chunk.length;
      CompletableFuture<Void> f = s.write(chunk);
      if (f.isDone()) {
        join(f);
        atOnce++;
      } else {
        try {
          f.get(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          stalled = f;
        }
      }
    }
    // the first writes found room: 256 KiB may wait in the stream before it turns unwritable
    assertThat(atOnce).isGreaterThanOrEqualTo(2);
    Stream in = join(atB);
    CompletableFuture<byte[]> got = in.readAll(8 << 20);
    join(stalled);
    join(s.closeWrite());
    byte[] all = join(got);
    assertThat((long) all.length).isEqualTo(sent);
    assertThat(MessageDigest.getInstance("SHA-256").digest(all)).isEqualTo(sentDigest.digest());
  }

  @Test
  void inputStreamViewReadsEverythingThenEof() throws Exception {
    Host a = hosts.start(Stack.MEMORY_NOISE);
    Host b = hosts.start(Stack.MEMORY_NOISE);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(ECHO)));
    byte[] data = new byte[300_000];
    new Random(3).nextBytes(data);
    CompletableFuture<Void> sent = s.write(data).thenCompose(v -> s.closeWrite());
    try (java.io.InputStream in = s.inputStream()) {
      assertThat(in.readAllBytes()).isEqualTo(data);
      assertThat(in.read()).isEqualTo(-1);
    }
    join(sent);
  }

  @Test
  void readSomeReturnsAvailableBytesAndEmptyAtEnd() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    b.setStreamHandler(ECHO, EchoStreams::serve);
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(ECHO)));
    join(s.write(new byte[] {1, 2, 3, 4, 5}));
    byte[] first = join(s.readSome(2));
    assertThat(first).hasSizeBetween(1, 2);
    join(s.closeWrite());
    java.io.ByteArrayOutputStream rest = new java.io.ByteArrayOutputStream();
    rest.writeBytes(first);
    byte[] got;
    while ((got = join(s.readSome(100))).length > 0) {
      rest.writeBytes(got);
    }
    assertThat(rest.toByteArray()).containsExactly(1, 2, 3, 4, 5);
  }
}
