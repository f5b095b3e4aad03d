package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionGater;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.StreamResetException;
import org.lotusia.libp2p.host.Hosts.Stack;

/**
 * A callback executor that rejects: accepted work (stream data, end events, close events) waits and
 * is delivered, remote writers are held back by flow control, and new inbound streams are refused.
 */
class CallbackBackPressureTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String SINK = "/test/sink/1";

  private final Hosts hosts = new Hosts();
  private final RejectingExecutor executor = new RejectingExecutor();

  @AfterEach
  void stop() {
    executor.reject(false);
    hosts.close();
    executor.close();
  }

  /** Collects what a stream delivers, and its end. */
  private static final class Sink implements StreamReader {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<byte[]> ended = new CompletableFuture<>();

    @Override
    public synchronized void onData(Stream stream, byte[] chunk) {
      bytes.writeBytes(chunk);
    }

    @Override
    public synchronized void onEnd(Stream stream) {
      ended.complete(bytes.toByteArray());
    }

    @Override
    public void onError(Stream stream, Throwable cause) {
      ended.completeExceptionally(cause);
    }

    synchronized int size() {
      return bytes.size();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void streamDataAndItsEndWaitForTheExecutorAndTheWriterIsHeldBack(Stack stack) {
    Host b = hosts.start(stack, x -> x.callbackExecutor(executor));
    Host a = hosts.start(stack);
    List<Sink> sinks = new CopyOnWriteArrayList<>();
    b.setStreamHandler(
        SINK,
        s -> {
          Sink sink = new Sink();
          sinks.add(sink);
          s.setReader(sink);
        });
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(SINK)));
    // Well above what b may buffer (stream buffer plus receive window), well below the sender's
    // pending-write limit.
    byte[] data = new byte[2 << 20];
    new Random(3).nextBytes(data);
    join(s.write(Arrays.copyOf(data, 1000)));
    await().atMost(WAIT).until(() -> sinks.size() == 1 && sinks.get(0).size() == 1000);

    executor.reject(true);
    List<CompletableFuture<Void>> writes = new ArrayList<>();
    for (int off = 1000; off < data.length; off += 64 * 1024) {
      writes.add(s.write(Arrays.copyOfRange(data, off, Math.min(data.length, off + 64 * 1024))));
    }
    CompletableFuture<Void> end = s.closeWrite();
    await().atMost(WAIT).until(() -> executor.rejected() > 0);
    // b cannot deliver, so its stream buffer fills, it stops reading and grants no more window:
    // a's later writes stay pending instead of piling up in b's memory.
    await()
        .during(Duration.ofMillis(500))
        .atMost(WAIT)
        .until(() -> !writes.get(writes.size() - 1).isDone());
    assertThat(sinks.get(0).size()).isEqualTo(1000);

    executor.reject(false);
    for (CompletableFuture<Void> w : writes) {
      join(w);
    }
    join(end);
    assertThat(join(sinks.get(0).ended)).isEqualTo(data);
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void closeEventsWaitForTheExecutorAndAreNotLost(Stack stack) {
    Host b = hosts.start(stack, x -> x.callbackExecutor(executor));
    Host a = hosts.start(stack);
    PeerEventRecorder atB = new PeerEventRecorder();
    b.addListener(atB);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> atB.count("connected", a.peerId()) == 1);

    executor.reject(true);
    join(c.close());
    await().atMost(WAIT).until(() -> !b.isConnected(a.peerId()));
    await().atMost(WAIT).until(() -> executor.rejected() > 0);
    assertThat(atB.count("close", a.peerId())).isZero();

    executor.reject(false);
    await().atMost(WAIT).until(() -> atB.settled(a.peerId()));
    atB.assertWellOrdered(a.peerId());
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void newInboundStreamsAreRefusedWhileTheExecutorRejects(Stack stack) {
    Host b = hosts.start(stack, x -> x.callbackExecutor(executor));
    Host a = hosts.start(stack);
    List<Stream> served = new CopyOnWriteArrayList<>();
    b.setStreamHandler(SINK, served::add);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    join(a.identified(b.peerId()));

    executor.reject(true);
    Stream refused = join(c.newStream(List.of(SINK)));
    assertThatThrownBy(() -> join(refused.readAll(10))).isInstanceOf(StreamResetException.class);
    assertThat(served).isEmpty();

    assertThat(b.stats().refusedStreams()).isEqualTo(1);
    assertThat(b.stats().callbackRejections()).isPositive();

    executor.reject(false);
    // Once the work b kept meanwhile has been taken, new streams are served again.
    await().atMost(WAIT).until(() -> b.stats().parkedCallbacks() == 0);
    Stream accepted = join(c.newStream(List.of(SINK)));
    await().atMost(WAIT).until(() -> served.size() == 1);
    assertThat(accepted.isOpen()).isTrue();
    assertThat(b.stats().refusedStreams()).isEqualTo(1);
  }

  @Test
  void inboundConnectionsAreRefusedWhenTheGaterCannotBeAsked() {
    Host b =
        hosts.start(
            Stack.MEMORY_NOISE,
            x -> x.callbackExecutor(executor).connectionGater(new ConnectionGater() {}));
    Host a = hosts.start(Stack.MEMORY_NOISE);
    executor.reject(true);
    assertThatThrownBy(() -> join(a.dial(b.listenAddresses().get(0)))).isNotNull();
    assertThat(b.stats().gatedInbound()).isEqualTo(1);
    assertThat(b.connections()).isEmpty();
    executor.reject(false);
    await().atMost(WAIT).until(() -> b.stats().parkedCallbacks() == 0);
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> b.isConnected(a.peerId()));
  }

  @Test
  void aHostClosesEvenWhenItsExecutorNeverAcceptsAgain() {
    Host b = hosts.start(Stack.MEMORY_NOISE, x -> x.callbackExecutor(executor));
    Host a = hosts.start(Stack.MEMORY_NOISE);
    List<String> closedOn = new CopyOnWriteArrayList<>();
    b.addListener(
        new HostListener() {
          @Override
          public void connectionClosed(Connection connection) {
            closedOn.add(Thread.currentThread().getName());
          }
        });
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> b.isConnected(a.peerId()));
    executor.reject(true);
    join(b.closeAsync());
    // The close event was not dropped: it ran on the host's own retry thread, not a network one.
    assertThat(closedOn).containsExactly("lotus-p2p-callback-retry");
  }

  @Test
  void anExecutorThatWouldRunOrDropCallbacksIsRefused() {
    for (var policy :
        List.of(
            new ThreadPoolExecutor.CallerRunsPolicy(),
            new ThreadPoolExecutor.DiscardPolicy(),
            new ThreadPoolExecutor.DiscardOldestPolicy())) {
      ThreadPoolExecutor pool =
          new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1), policy);
      try {
        assertThatThrownBy(() -> new HostBuilder().callbackExecutor(pool))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(policy.getClass().getSimpleName());
      } finally {
        pool.shutdown();
      }
    }
  }
}
