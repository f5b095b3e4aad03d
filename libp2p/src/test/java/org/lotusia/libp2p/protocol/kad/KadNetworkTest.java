package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.multiformats.Multihash;
import org.lotusia.libp2p.stack.SecureChannels;
import org.lotusia.libp2p.stack.Transports;

/** Networks of in-memory hosts running the DHT, including hostile members. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KadNetworkTest {
  private static final String PROTO = KadDhtConfig.LOTUS_PROTOCOL;
  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Host host() {
    return host(Keys.generateEd25519());
  }

  private Host host(IdentityPrivateKey key) {
    Host h =
        new HostBuilder()
            .identity(key)
            .transports(Transports.memory())
            .security(SecureChannels.plaintext())
            .listen("/ip4/127.0.0.1/tcp/0")
            .eventLoopThreads(1)
            .build();
    join(h.start());
    hosts.add(h);
    return h;
  }

  private KadDht dht(Host h) {
    return dht(h, KadDhtConfig.builder());
  }

  private KadDht dht(Host h, KadDhtConfig.Builder config) {
    KadDht d =
        new KadDht(
            h,
            config
                .protocolId(PROTO)
                .requestTimeout(Duration.ofSeconds(3))
                .queryTimeout(Duration.ofSeconds(30))
                .validator("lotus", (k, v) -> {})
                .build());
    d.start();
    dhts.add(d);
    return d;
  }

  @AfterEach
  void stop() {
    dhts.forEach(KadDht::close);
    hosts.forEach(h -> join(h.closeAsync()));
  }

  /** 24 DHT nodes that all know node 0, then bootstrap. */
  private List<KadDht> network(int n) {
    List<KadDht> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(dht(host()));
    }
    Host boot = nodes.get(0).host;
    for (int i = 1; i < n; i++) {
      join(nodes.get(i).host.dial(boot.listenAddresses().get(0)));
    }
    for (KadDht d : nodes.subList(1, n)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> join(d.routingTablePeers()).contains(boot.peerId()));
    }
    for (KadDht d : nodes) {
      join(d.bootstrap());
    }
    return nodes;
  }

  @Test
  void putOnOneNodeGetOnAnother() {
    List<KadDht> nodes = network(24);
    List<PeerId> stored = join(nodes.get(3).put(utf8("/lotus/res/1"), utf8("v1")));
    assertThat(stored).isNotEmpty();
    assertThat(join(nodes.get(17).get(utf8("/lotus/res/1")))).hasValue(utf8("v1"));
    assertThat(join(nodes.get(22).get(utf8("/lotus/missing")))).isEmpty();
    // the routing tables learned beyond the bootstrap node
    assertThat(join(nodes.get(17).routingTablePeers()).size()).isGreaterThan(5);
  }

  @Test
  void unknownNamespaceIsRefusedLocally() {
    KadDht d = dht(host());
    assertThatThrownBy(() -> join(d.put(utf8("/ipns/x"), utf8("v"))))
        .hasRootCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no validator");
  }

  @Test
  void getPicksTheSelectorsBestAndCorrectsStalePeers() {
    List<KadDht> nodes = network(20);
    byte[] key = utf8("/lotus/res/2");
    join(nodes.get(1).put(key, utf8("old")));
    // one node holds a different value only locally
    KadDht stale = nodes.get(5);
    join(
        CompletableFuture.runAsync(
            () -> stale.records.put(key, utf8("other"), stale.host.peerId(), stale.clock.instant()),
            stale.executor));
    // default selector: first value met; with the local record present it wins for that node
    assertThat(join(stale.get(key))).isPresent();
    assertThat(join(nodes.get(9).get(key))).hasValue(utf8("old"));
  }

  @Test
  void providersAndFindPeer() {
    List<KadDht> nodes = network(22);
    byte[] content = Multihash.sha256(utf8("some content")).toBytes();
    List<PeerId> told = join(nodes.get(5).provide(content));
    assertThat(told).isNotEmpty();
    List<KadPeer> providers = join(nodes.get(20).findProviders(content, 5));
    assertThat(providers).extracting(KadPeer::id).contains(nodes.get(5).host.peerId());
    assertThat(providers.get(0).addresses()).isNotEmpty();
    PeerId target = nodes.get(9).host.peerId();
    Optional<KadPeer> found = join(nodes.get(14).findPeer(target));
    assertThat(found).isPresent();
    assertThat(found.get().addresses()).isNotEmpty();
    assertThat(join(nodes.get(14).getClosestPeers(utf8("/lotus/x")))).hasSizeGreaterThan(10);
  }

  @Test
  void clientModeDoesNotServe() {
    KadDht server = dht(host());
    Host ch = host();
    KadDht client =
        new KadDht(ch, KadDhtConfig.builder().protocolId(PROTO).clientMode(true).build());
    client.start();
    dhts.add(client);
    assertThat(ch.protocols()).doesNotContain(PROTO);
    join(ch.dial(server.host.listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(client.routingTablePeers()).contains(server.host.peerId()));
    // the server never adds the client: it does not announce the protocol
    assertThat(join(server.routingTablePeers())).isEmpty();
  }

  @Test
  void oversizeRequestResetsTheStreamAndTheNodeKeepsServing() {
    KadDht d = dht(host());
    Host attacker = host();
    Stream s = join(attacker.newStream(d.host.listenAddresses().get(0), List.of(PROTO)));
    // a length prefix of 4 MiB + 1, above the 4 MiB default
    s.write(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, 0x02});
    await().atMost(Duration.ofSeconds(5)).until(() -> !s.isOpen());
    // a garbage request also resets
    Stream g = join(attacker.newStream(d.host.listenAddresses().get(0), List.of(PROTO)));
    g.write(new byte[] {3, (byte) 0x0a, 0x7f, 1});
    await().atMost(Duration.ofSeconds(5)).until(() -> !g.isOpen());
    // the node still answers a proper lookup
    KadDht honest = dht(attacker);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(honest.routingTablePeers()).contains(d.host.peerId()));
    assertThat(join(honest.getClosestPeers(utf8("/lotus/x"))))
        .extracting(KadPeer::id)
        .contains(d.host.peerId());
  }

  @Test
  void lookupSurvivesFloodingAndGarbagePeers() {
    KadDht honest = dht(host());
    KadDht victim = dht(host());
    // a peer that answers every request with 1000 closer peers, one with garbage
    Host flooder = host();
    flooder.setStreamHandler(
        PROTO,
        stream ->
            stream
                .readSome(1024)
                .thenCompose(
                    x -> {
                      var m =
                          org.lotusia.libp2p.internal.proto.DhtProtos.Message.newBuilder()
                              .setType(
                                  org.lotusia.libp2p.internal.proto.DhtProtos.Message.MessageType
                                      .FIND_NODE);
                      for (int i = 0; i < 1000; i++) {
                        m.addCloserPeers(
                            KadCodec.toPb(new KadPeer(KadTestPeers.random(), List.of()), false));
                      }
                      return stream.write(KadCodec.frame(m.build()));
                    }));
    Host garbage = host();
    garbage.setStreamHandler(
        PROTO,
        stream ->
            stream.readSome(1024).thenCompose(x -> stream.write(new byte[] {5, 1, 2, 3, 4, 5})));
    for (Host h : List.of(honest.host, flooder, garbage)) {
      join(victim.host.dial(h.listenAddresses().get(0)));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(victim.routingTablePeers()).size() == 3);
    List<KadPeer> closest = join(victim.getClosestPeers(utf8("/lotus/x")));
    assertThat(closest).extracting(KadPeer::id).containsExactly(honest.host.peerId());
  }

  /** A key whose peer shares no leading bit with {@code self}: it lands in bucket 0. */
  private static IdentityPrivateKey farFrom(PeerId self) {
    while (true) {
      IdentityPrivateKey k = Keys.generateEd25519();
      if (KadKey.of(self).commonPrefixLength(KadKey.of(PeerId.fromPublicKey(k.publicKey()))) == 0) {
        return k;
      }
    }
  }

  @Test
  void fullBucketPingsItsOldestPeerAndKeepsItWhileAlive() {
    KadDht s = dht(host(), KadDhtConfig.builder().k(1));
    // a stands for a DHT server that answers every request by echoing it, counting the pings
    Host a = host(farFrom(s.host.peerId()));
    AtomicInteger pings = new AtomicInteger();
    a.setStreamHandler(
        PROTO,
        stream ->
            stream
                .readSome(4096)
                .thenCompose(
                    chunk -> {
                      VarintFramer frames = new VarintFramer(4096, "kad message");
                      Message m = KadCodec.parse(frames.feed(chunk).get(0), 100);
                      if (m.getType() == Message.MessageType.PING) {
                        pings.incrementAndGet();
                      }
                      return stream.write(KadCodec.frame(m));
                    }));
    join(a.dial(s.host.listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(s.routingTablePeers()).contains(a.peerId()));
    Host b = host(farFrom(s.host.peerId()));
    dht(b);
    join(b.dial(s.host.listenAddresses().get(0)));
    // b's arrival makes s ping a; a answers, so a stays and b is dropped
    await().atMost(Duration.ofSeconds(20)).until(() -> pings.get() > 0);
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> join(s.routingTablePeers()).equals(List.of(a.peerId())));
  }

  @Test
  void fullBucketReplacesItsOldestPeerWhenThePingFails() {
    KadDht s = dht(host(), KadDhtConfig.builder().k(1).requestTimeout(Duration.ofSeconds(1)));
    Host a = host(farFrom(s.host.peerId()));
    KadDht da = dht(a);
    join(a.dial(s.host.listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(s.routingTablePeers()).contains(a.peerId()));
    da.close();
    join(a.closeAsync());
    Host b = host(farFrom(s.host.peerId()));
    dht(b);
    join(b.dial(s.host.listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(s.routingTablePeers()).equals(List.of(b.peerId())));
  }
}
