package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.stack.Transports;

/**
 * The service API the coordinator builds on: subscriptions, topic join/leave events, emitSelf,
 * publishing to nobody, the application score, and where futures and callbacks run.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GossipSubApiTest {
  private static final String T = "lotus/api";
  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<Host> hosts = new ArrayList<>();
  private final List<GossipSub> services = new ArrayList<>();
  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void stop() {
    services.forEach(GossipSub::close);
    for (Host h : hosts) {
      h.closeAsync().orTimeout(30, TimeUnit.SECONDS).join();
    }
    pools.forEach(ExecutorService::shutdownNow);
  }

  /** A pool whose threads are named {@code name-N}. */
  private ExecutorService pool(String name, int threads) {
    AtomicInteger n = new AtomicInteger();
    ExecutorService p =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pools.add(p);
    return p;
  }

  private Host host(Executor callbacks) {
    HostBuilder b =
        new HostBuilder()
            .eventLoopThreads(1)
            .transports(Transports.memory())
            .listen("/ip4/127.0.0.1/tcp/0");
    if (callbacks != null) {
      b.callbackExecutor(callbacks);
    }
    Host h = b.build();
    hosts.add(h);
    join(h.start());
    return h;
  }

  /** A service on {@code h}: on the host's callback executor when {@code callbacks} is null. */
  private GossipSub gossip(Host h, GossipSubConfig cfg, Executor callbacks) {
    GossipSub g = callbacks == null ? new GossipSub(h, cfg) : new GossipSub(h, cfg, callbacks);
    services.add(g);
    join(g.start());
    return g;
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static GossipSubConfig fast() {
    return GossipSubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).build();
  }

  @Test
  void subscriptionsAreCurrentAsSoonAsTheCallReturns() {
    GossipSub g = gossip(host(null), GossipSubConfig.defaults(), null);
    assertThat(g.subscriptions()).isEmpty();
    g.subscribe("a", m -> {});
    g.subscribe("b", m -> {});
    assertThat(g.subscriptions()).containsExactlyInAnyOrder("a", "b");
    g.unsubscribe("a");
    assertThat(g.subscriptions()).containsExactly("b");
    Set<String> snapshot = g.subscriptions();
    assertThatThrownBy(() -> snapshot.add("c")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void listenersSeePeersJoinAndLeaveOnTheCallbackExecutorAndAThrowingOneHarmsNobody() {
    ExecutorService cb = pool("app-callbacks", 2);
    Host a = host(cb);
    Host b = host(null);
    GossipSub ga = gossip(a, fast(), cb);
    GossipSub gb = gossip(b, fast(), null);
    List<String> events = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    ga.addListener(
        new PubsubListener() {
          @Override
          public void peerSubscribed(PeerId peer, String topic) {
            throw new IllegalStateException("listener bug");
          }
        });
    ga.addListener(
        new PubsubListener() {
          @Override
          public void peerSubscribed(PeerId peer, String topic) {
            events.add("+" + topic + "@" + peer);
            threads.add(Thread.currentThread().getName());
          }

          @Override
          public void peerUnsubscribed(PeerId peer, String topic) {
            events.add("-" + topic + "@" + peer);
            threads.add(Thread.currentThread().getName());
          }
        });
    join(gb.subscribe(T, m -> {}));
    join(gb.subscribe("other", m -> {}));
    join(a.dial(b.listenAddresses().get(0)));
    PeerId bId = b.peerId();
    await()
        .atMost(WAIT)
        .until(() -> events.containsAll(List.of("+" + T + "@" + bId, "+other@" + bId)));
    join(gb.unsubscribe("other"));
    await().atMost(WAIT).until(() -> events.contains("-other@" + bId));
    // the peer goes away: its remaining subscription ends
    gb.close();
    await().atMost(WAIT).until(() -> events.contains("-" + T + "@" + bId));
    assertThat(events).hasSize(4);
    assertThat(threads).allMatch(n -> n.startsWith("app-callbacks-"));
    assertThat(ga.stats().droppedEvents()).isZero();
  }

  @Test
  void futuresCompleteOnTheHostsCallbackExecutor() throws Exception {
    ExecutorService cb = pool("app-callbacks", 1);
    // no executor given to the service: it takes the host's
    GossipSub g = gossip(host(cb), GossipSubConfig.defaults(), null);
    // hold the only callback thread so the future cannot complete before the stage is attached
    CountDownLatch hold = new CountDownLatch(1);
    cb.execute(
        () -> {
          try {
            hold.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    AtomicReference<String> publishThread = new AtomicReference<>();
    AtomicReference<String> queryThread = new AtomicReference<>();
    CompletableFuture<PublishResult> published = g.publish(T, "x".getBytes());
    CompletableFuture<Void> a =
        published.thenAccept(r -> publishThread.set(Thread.currentThread().getName()));
    CompletableFuture<Void> b =
        g.meshPeers(T).thenAccept(r -> queryThread.set(Thread.currentThread().getName()));
    assertThat(published).isNotDone();
    hold.countDown();
    join(CompletableFuture.allOf(a, b));
    assertThat(publishThread.get()).startsWith("app-callbacks-");
    assertThat(queryThread.get()).startsWith("app-callbacks-");
  }

  @Test
  void aCallbackExecutorThatRefusesLosesNothing() {
    ExecutorService real = pool("flaky", 2);
    AtomicInteger refusals = new AtomicInteger(20);
    Executor flaky =
        task -> {
          if (refusals.getAndDecrement() > 0) {
            throw new RejectedExecutionException("full");
          }
          real.execute(task);
        };
    GossipSub g = gossip(host(null), GossipSubConfig.defaults(), flaky);
    List<CompletableFuture<Set<PeerId>>> calls = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      calls.add(g.topicPeers(T));
    }
    for (CompletableFuture<Set<PeerId>> f : calls) {
      assertThat(join(f)).isEmpty();
    }
    assertThat(g.stats().callbackRefusals()).isGreaterThanOrEqualTo(10);
  }

  @Test
  void emitSelfDeliversOwnMessagesOnlyWhenEnabled() {
    GossipSub quiet = gossip(host(null), GossipSubConfig.defaults(), null);
    GossipSub echo = gossip(host(null), GossipSubConfig.builder().emitSelf(true).build(), null);
    List<String> quietGot = new CopyOnWriteArrayList<>();
    List<PubsubMessage> echoGot = new CopyOnWriteArrayList<>();
    join(quiet.subscribe(T, m -> quietGot.add(new String(m.data()))));
    join(echo.subscribe(T, echoGot::add));
    join(quiet.publish(T, "q".getBytes()));
    PublishResult r = join(echo.publish(T, "e".getBytes()));
    await().atMost(WAIT).until(() -> echoGot.size() == 1);
    assertThat(new String(echoGot.get(0).data())).isEqualTo("e");
    assertThat(echoGot.get(0).receivedFrom()).isEqualTo(hosts.get(1).peerId());
    assertThat(echoGot.get(0).id()).isEqualTo(r.message().id());
    // a message on the same lane published afterwards arrives, the quiet node's own never did
    join(quiet.publish(T, "q2".getBytes()));
    join(echo.publish(T, "e2".getBytes()));
    await().atMost(WAIT).until(() -> echoGot.size() == 2);
    assertThat(quietGot).isEmpty();
  }

  @Test
  void publishingToNobodyFailsWhenNotAllowedAndSucceedsOncePeersJoin() {
    Host a = host(null);
    Host b = host(null);
    GossipSub strict =
        gossip(a, GossipSubConfig.builder().allowPublishToZeroTopicPeers(false).build(), null);
    GossipSub lax = gossip(b, GossipSubConfig.defaults(), null);
    assertThat(join(lax.publish(T, "to nobody".getBytes())).recipients()).isEmpty();
    assertThatThrownBy(() -> join(strict.publish(T, "to nobody".getBytes())))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(NoPeersSubscribedException.class)
        .hasMessageContaining(T)
        .hasMessageContaining("allowPublishToZeroTopicPeers is false");
    assertThat(strict.stats().published()).isZero();
    List<String> got = new CopyOnWriteArrayList<>();
    join(lax.subscribe(T, m -> got.add(new String(m.data()))));
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> join(strict.topicPeers(T)).contains(b.peerId()));
    PublishResult r = join(strict.publish(T, "to someone".getBytes()));
    assertThat(r.recipients()).containsExactly(b.peerId());
    await().atMost(WAIT).until(() -> got.contains("to someone"));
  }

  @Test
  void applicationScoreIsComputedOffTheRouterThreadAndGraylistsAPeer() {
    ExecutorService cb = pool("app-callbacks", 2);
    Host a = host(cb);
    Host b = host(null);
    Host c = host(null);
    List<String> threads = new CopyOnWriteArrayList<>();
    PeerId bad = b.peerId();
    PeerId broken = c.peerId();
    PeerScoreParams sp =
        PeerScoreParams.builder()
            .appSpecificScore(
                p -> {
                  threads.add(Thread.currentThread().getName());
                  if (p.equals(broken)) {
                    throw new IllegalStateException("security manager bug");
                  }
                  return p.equals(bad) ? -100 : 0.5;
                },
                2)
            .build();
    GossipSub ga =
        gossip(
            a,
            GossipSubConfig.builder().heartbeatInterval(Duration.ofMillis(100)).score(sp).build(),
            cb);
    GossipSub gb = gossip(b, fast(), null);
    gossip(c, fast(), null);
    List<String> got = new CopyOnWriteArrayList<>();
    join(ga.subscribe(T, m -> got.add(new String(m.data()))));
    join(gb.subscribe(T, m -> {}));
    join(a.dial(b.listenAddresses().get(0)));
    join(a.dial(c.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> join(ga.score(bad)) == -200.0);
    await().atMost(WAIT).until(() -> join(ga.score(broken)) == 0.0 && !threads.isEmpty());
    assertThat(threads).allMatch(n -> n.startsWith("app-callbacks-"));
    // below the graylist threshold: everything the peer sends is ignored
    long graylisted = ga.stats().graylistedRpcs();
    join(gb.publish(T, "from a graylisted peer".getBytes()));
    await().atMost(WAIT).until(() -> ga.stats().graylistedRpcs() > graylisted);
    assertThat(got).isEmpty();
    assertThat(join(ga.meshPeers(T))).doesNotContain(bad);
  }

  @Test
  void aSlowHandlerLosesMessagesBeyondItsQueueButNeverStallsTheRouter() {
    Host a = host(null);
    Host b = host(null);
    GossipSub ga =
        gossip(
            a,
            GossipSubConfig.builder()
                .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
                .callbackQueues(4, 4)
                .build(),
            null);
    GossipSub gb =
        gossip(
            b,
            GossipSubConfig.builder().signaturePolicy(SignaturePolicy.STRICT_NO_SIGN).build(),
            null);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    join(
        ga.subscribe(
            T,
            m -> {
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              handled.incrementAndGet();
            }));
    join(gb.subscribe(T, m -> {}));
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> join(gb.topicPeers(T)).contains(a.peerId()));
    for (int i = 0; i < 20; i++) {
      join(gb.publish(T, ("m" + i).getBytes()));
    }
    await().atMost(WAIT).until(() -> ga.stats().delivered() == 20);
    // one in the handler, at most four waiting, the rest dropped and counted
    long dropped = ga.stats().droppedDeliveries();
    assertThat(dropped).isBetween(15L, 16L);
    assertThat(join(ga.topicPeers(T))).contains(b.peerId());
    release.countDown();
    await().atMost(WAIT).until(() -> handled.get() == 20 - dropped);
  }
}
