package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ResourceLimits;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.ping.Ping;

/**
 * Host listeners each have their own queue: a slow listener delays only itself, a listener far
 * behind makes the host refuse new inbound work instead of queueing without bound, and a stream's
 * close future completes off the event loop.
 */
class ListenerIsolationTest {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private final Hosts hosts = new Hosts();
  private final CountDownLatch release = new CountDownLatch(1);
  private final ExecutorService named =
      Executors.newFixedThreadPool(
          4,
          r -> {
            Thread t = new Thread(r, "user-callbacks");
            t.setDaemon(true);
            return t;
          });

  @AfterEach
  void stop() {
    release.countDown();
    hosts.close();
    named.shutdownNow();
  }

  /** Blocks in its first connection event until the test releases it. */
  private final class StuckListener implements HostListener {
    @Override
    public void connectionOpened(Connection connection) {
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aSlowListenerDoesNotStallTheOthersAndEachKeepsItsOrder() {
    // enough threads for two stuck listeners and the rest
    Host a = hosts.start(Stack.MEMORY_NOISE, x -> x.callbackExecutor(named));
    PeerEventRecorder fast = new PeerEventRecorder();
    PeerEventRecorder slow = new PeerEventRecorder();
    a.addListener(new StuckListener());
    a.addListener(fast);
    a.addListener(
        new HostListener() {
          @Override
          public void connectionOpened(Connection connection) {
            slow.connectionOpened(connection);
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }

          @Override
          public void connectionClosed(Connection connection) {
            slow.connectionClosed(connection);
          }

          @Override
          public void peerConnected(PeerId peer) {
            slow.peerConnected(peer);
          }

          @Override
          public void peerDisconnected(PeerId peer) {
            slow.peerDisconnected(peer);
          }
        });
    Host b = hosts.start(Stack.MEMORY_NOISE);
    join(b.dial(a.listenAddresses().get(0)));
    join(b.disconnect(a.peerId()));
    // the fast listener gets the whole story while the two others are stuck
    await().atMost(DEADLINE).until(() -> fast.settled(b.peerId()));
    fast.assertWellOrdered(b.peerId());
    assertThat(slow.count("connected", b.peerId())).isZero();

    release.countDown();
    await().atMost(DEADLINE).until(() -> slow.settled(b.peerId()));
    slow.assertWellOrdered(b.peerId());
  }

  @Test
  void aListenerFarBehindMakesTheHostRefuseNewInboundStreams() {
    Host a =
        hosts.start(
            Stack.MEMORY_NOISE,
            x ->
                x.callbackExecutor(named)
                    .resourceLimits(
                        ResourceLimits.builder().maxQueuedEventsPerListener(4).build()));
    a.addListener(new StuckListener());
    Host b = hosts.start(Stack.MEMORY_NOISE);
    Connection conn = join(b.dial(a.listenAddresses().get(0)));
    // each inbound stream queues a streamOpened event for the stuck listener
    await()
        .atMost(DEADLINE)
        .until(
            () -> {
              CompletableFuture<?> ping =
                  b.newStream(conn, new Ping()).thenCompose(s -> s.ping());
              ping.handle((v, e) -> null).get(30, TimeUnit.SECONDS);
              return a.stats().refusals().listenerBacklog() > 0;
            });
    release.countDown();
    // once the listener caught up, streams are served again
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> assertThat(join(join(b.newStream(conn, new Ping())).ping())).isPositive());
  }

  @Test
  void aStreamsCloseFutureCompletesOnTheCallbackExecutor() {
    Host a = hosts.start(Stack.MEMORY_NOISE, x -> x.callbackExecutor(named));
    Host b = hosts.start(Stack.MEMORY_NOISE);
    Stream stream = join(a.newStream(b.listenAddresses().get(0), List.of(Ping.PROTOCOL_ID)));
    CompletableFuture<String> thread = new CompletableFuture<>();
    stream
        .closeFuture()
        .whenComplete((v, e) -> thread.complete(Thread.currentThread().getName()));
    stream.reset();
    assertThat(join(thread)).isEqualTo("user-callbacks");
  }
}
