package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.multiformats.Varint;
import org.lotusia.libp2p.stack.Transports;

/** Java GossipSub nodes on real hosts (in-memory and TCP transports). */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GossipSubNetworkTest {
  private static final String T = "lotus/test";
  private final List<Host> hosts = new ArrayList<>();
  private final List<GossipSub> services = new ArrayList<>();

  @AfterEach
  void stop() {
    services.forEach(GossipSub::close);
    for (Host h : hosts) {
      h.closeAsync().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  private Host host(boolean tcp) {
    HostBuilder b = new HostBuilder().eventLoopThreads(1).listen("/ip4/127.0.0.1/tcp/0");
    b.transports(tcp ? Transports.tcp() : Transports.memory());
    Host h = b.build();
    hosts.add(h);
    join(h.start());
    return h;
  }

  private GossipSub gossip(Host h, GossipSubConfig cfg) {
    GossipSub g = new GossipSub(h, cfg);
    services.add(g);
    join(g.start());
    return g;
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private void networkDeliversEachMessageExactlyOnce(boolean tcp) {
    int n = 6;
    List<Host> hs = new ArrayList<>();
    List<GossipSub> gs = new ArrayList<>();
    List<Map<String, AtomicInteger>> received = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Host h = host(tcp);
      hs.add(h);
      GossipSub g = gossip(h, GossipSubConfig.defaults());
      gs.add(g);
      Map<String, AtomicInteger> got = new ConcurrentHashMap<>();
      received.add(got);
      join(
          g.subscribe(
              T,
              m ->
                  got.computeIfAbsent(new String(m.data()), k -> new AtomicInteger())
                      .incrementAndGet()));
    }
    // a ring plus one chord: every node has 2-3 neighbours, most paths are several hops long
    for (int i = 0; i < n; i++) {
      join(hs.get(i).dial(hs.get((i + 1) % n).listenAddresses().get(0)));
    }
    join(hs.get(0).dial(hs.get(3).listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> gs.stream().allMatch(g -> join(g.meshPeers(T)).size() >= 2));
    for (int i = 0; i < n; i++) {
      PublishResult r = join(gs.get(i).publish(T, ("from-" + i).getBytes()));
      assertThat(r.recipients()).isNotEmpty();
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> received.stream().allMatch(m -> m.size() == n - 1));
    // two more heartbeats: gossip must not cause a second delivery
    await().pollDelay(Duration.ofMillis(2500)).until(() -> true);
    for (int i = 0; i < n; i++) {
      assertThat(received.get(i)).doesNotContainKey("from-" + i);
      assertThat(received.get(i).values()).allMatch(c -> c.get() == 1);
    }
  }

  @Test
  void sixMemoryNodesDeliverEveryMessageExactlyOnce() {
    networkDeliversEachMessageExactlyOnce(false);
  }

  @Test
  void sixTcpNodesDeliverEveryMessageExactlyOnce() {
    networkDeliversEachMessageExactlyOnce(true);
  }

  @Test
  void unsubscribedNodeStopsReceivingAndValidatorRejects() {
    Host a = host(false);
    Host b = host(false);
    GossipSub ga = gossip(a, GossipSubConfig.defaults());
    GossipSub gb = gossip(b, GossipSubConfig.defaults());
    List<String> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    join(gb.subscribe(T, m -> got.add(new String(m.data()))));
    gb.addValidator(
        T,
        m ->
            new String(m.data()).startsWith("bad")
                ? TopicValidationResult.REJECT
                : TopicValidationResult.ACCEPT);
    join(ga.subscribe(T, m -> {}));
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(20)).until(() -> join(ga.meshPeers(T)).contains(b.peerId()));
    join(ga.publish(T, "bad-1".getBytes()));
    join(ga.publish(T, "good-1".getBytes()));
    await().atMost(Duration.ofSeconds(20)).until(() -> got.contains("good-1"));
    assertThat(got).containsExactly("good-1");
    join(gb.unsubscribe(T));
    await().atMost(Duration.ofSeconds(20)).until(() -> join(ga.topicPeers(T)).isEmpty());
    assertThat(join(ga.meshPeers(T))).isEmpty();
  }

  @Test
  void closeReleasesTheStreamsSoThePeerForgetsUsAndCloseTwiceIsHarmless() {
    Host a = host(false);
    Host b = host(false);
    GossipSub ga = gossip(a, GossipSubConfig.defaults());
    GossipSub gb = gossip(b, GossipSubConfig.defaults());
    join(ga.subscribe(T, m -> {}));
    join(gb.subscribe(T, m -> {}));
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(20)).until(() -> join(gb.topicPeers(T)).contains(a.peerId()));
    ga.close();
    ga.close();
    // the connection stays up; b must notice through the streams alone
    await().atMost(Duration.ofSeconds(20)).until(() -> join(gb.topicPeers(T)).isEmpty());
    assertThat(a.connections(b.peerId())).isNotEmpty();
  }

  /**
   * A peer that speaks no pubsub of its own: it takes {@code victim}'s outbound stream (and
   * discards it) and writes raw RPCs on its own stream, after a subscription to {@link #T} so the
   * victim knows it.
   */
  private Stream rawAttacker(Host victim, GossipSub gv) {
    Host a = host(false);
    a.setStreamHandler("/meshsub/1.1.0", st -> st.setReader((x, chunk) -> {}));
    join(a.dial(victim.listenAddresses().get(0)));
    Stream s = join(a.newStream(victim.peerId(), List.of("/meshsub/1.1.0")));
    join(s.write(RpcFraming.encode(RouterHarness.subscribe(T))));
    await().atMost(Duration.ofSeconds(20)).until(() -> join(gv.topicPeers(T)).contains(a.peerId()));
    return s;
  }

  @Test
  void attackRpcsFasterThanValidationAreDroppedBeyondTheInboundBudget() throws Exception {
    Host b = host(false);
    GossipSub gb =
        gossip(
            b,
            GossipSubConfig.builder()
                .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
                .inboundQueueBytes(8192)
                .build());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger validated = new AtomicInteger();
    gb.addValidator(
        T,
        m -> {
          // a stalled validation holds its message's share of the inbound budget
          if (validated.getAndIncrement() == 0) {
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return TopicValidationResult.ACCEPT;
        });
    join(gb.subscribe(T, m -> {}));
    Stream s = rawAttacker(b, gb);
    int sent = 200;
    for (int i = 0; i < sent; i++) {
      byte[] data = new byte[1000];
      data[0] = (byte) i;
      data[1] = (byte) (i >> 8);
      org.lotusia.libp2p.internal.proto.PubsubProtos.RPC rpc =
          org.lotusia.libp2p.internal.proto.PubsubProtos.RPC
              .newBuilder()
              .addPublish(MessageSigning.unsigned(T, data))
              .build();
      join(s.write(RpcFraming.encode(rpc)));
    }
    // at most the budget (8 messages of about 1 KB) waits behind the stalled one
    await().atMost(Duration.ofSeconds(20)).until(() -> gb.droppedInboundRpcs() >= sent - 10);
    // the router was never blocked meanwhile
    assertThat(join(gb.topicPeers(T))).hasSize(1);
    release.countDown();
    await().atMost(Duration.ofSeconds(20)).until(() -> gb.stats().delivered() == validated.get());
    assertThat(validated.get()).isBetween(2, 10);
    assertThat(gb.stats().droppedInboundRpcs() + gb.stats().delivered()).isEqualTo(sent);
  }

  @Test
  void attackManyPeersTogetherAreBoundedByTheGlobalInboundBudget() throws Exception {
    Host b = host(false);
    GossipSub gb =
        gossip(
            b,
            GossipSubConfig.builder()
                .signaturePolicy(SignaturePolicy.STRICT_NO_SIGN)
                .inboundQueueBytes(16 * 1024)
                .globalInboundQueueBytes(24 * 1024)
                .build());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger validated = new AtomicInteger();
    gb.addValidator(
        T,
        m -> {
          if (validated.getAndIncrement() == 0) {
            try {
              release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return TopicValidationResult.ACCEPT;
        });
    join(gb.subscribe(T, m -> {}));
    List<Stream> attackers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      attackers.add(rawAttacker(b, gb));
    }
    int perAttacker = 40;
    for (int i = 0; i < perAttacker; i++) {
      for (int k = 0; k < attackers.size(); k++) {
        byte[] data = new byte[1000];
        data[0] = (byte) i;
        data[1] = (byte) k;
        org.lotusia.libp2p.internal.proto.PubsubProtos.RPC rpc =
            org.lotusia.libp2p.internal.proto.PubsubProtos.RPC
                .newBuilder()
                .addPublish(MessageSigning.unsigned(T, data))
                .build();
        join(attackers.get(k).write(RpcFraming.encode(rpc)));
      }
    }
    int sent = perAttacker * attackers.size();
    // each stream alone could hold 16 messages; together they hold no more than 24 KiB
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> gb.stats().droppedInboundRpcs() + gb.stats().validationDropped() >= sent - 25);
    release.countDown();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> gb.stats().delivered() + gb.stats().droppedInboundRpcs() == sent);
    assertThat(gb.stats().delivered()).isBetween(2L, 25L);
  }

  @Test
  void aDependentActionMayBlockOnAnotherCallWithoutStallingTheRouter() {
    GossipSub g = gossip(host(false), GossipSubConfig.defaults());
    CompletableFuture<java.util.Set<org.lotusia.libp2p.PeerId>> nested =
        g.subscribe(T, m -> {}).thenApply(v -> g.topicPeers(T).join());
    assertThat(join(nested)).isEmpty();
    assertThat(join(g.meshPeers(T))).isEmpty();
  }

  @Test
  void startTwiceOrAfterCloseFailsInsteadOfRunningASecondHeartbeat() {
    Host h = host(false);
    GossipSub g = gossip(h, GossipSubConfig.defaults());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> join(g.start()))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already started");
    g.close();
    GossipSub late = new GossipSub(h, GossipSubConfig.defaults());
    late.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> join(late.start()))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void attackOversizedRpcResetsTheStream() {
    Host a = host(false);
    Host b = host(false);
    GossipSub gb = gossip(b, GossipSubConfig.builder().maxRpcSize(4096).build());
    Stream s = join(a.newStream(b.listenAddresses().get(0), List.of("/meshsub/1.1.0")));
    s.write(Varint.encode(5000));
    join(s.closeFuture().handle((v, e) -> null));
    assertThat(s.isOpen()).isFalse();
    await().atMost(Duration.ofSeconds(20)).until(() -> join(gb.rejectedRpcs()) == 1L);
  }
}
