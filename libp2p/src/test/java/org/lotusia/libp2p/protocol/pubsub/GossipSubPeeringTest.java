package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlMessage;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.PeerInfo;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.record.PeerRecord;
import org.lotusia.libp2p.stack.Transports;

/** Direct peers and peer exchange with signed peer records, between real hosts. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GossipSubPeeringTest {
  private static final String T = "lotus/peering";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<Host> hosts = new ArrayList<>();
  private final List<GossipSub> services = new ArrayList<>();
  private final List<AutoCloseable> others = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    services.forEach(GossipSub::close);
    for (Host h : hosts) {
      h.closeAsync().orTimeout(30, TimeUnit.SECONDS).join();
    }
    for (AutoCloseable c : others) {
      c.close();
    }
  }

  private Host host(IdentityPrivateKey key) {
    Host h =
        new HostBuilder()
            .identity(key)
            .eventLoopThreads(1)
            .transports(Transports.memory(), Transports.tcp())
            .dialTimeout(Duration.ofSeconds(20))
            .listen("/ip4/127.0.0.1/tcp/0")
            .build();
    hosts.add(h);
    join(h.start());
    return h;
  }

  private GossipSub gossip(Host h, GossipSubConfig.Builder cfg) {
    GossipSub g = new GossipSub(h, cfg.heartbeatInterval(Duration.ofMillis(100)).build());
    services.add(g);
    join(g.start());
    return g;
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void directPeersConnectByThemselvesStayOutOfTheMeshAndReconnect() {
    IdentityPrivateKey ka = Keys.generateEd25519();
    IdentityPrivateKey kb = Keys.generateEd25519();
    Host a = host(ka);
    Host b = host(kb);
    Duration every = Duration.ofMillis(300);
    GossipSub gb =
        gossip(
            b, GossipSubConfig.builder().directPeers(List.of(a.listenAddresses().get(0)), every));
    GossipSub ga =
        gossip(
            a, GossipSubConfig.builder().directPeers(List.of(b.listenAddresses().get(0)), every));
    List<String> atA = new CopyOnWriteArrayList<>();
    join(ga.subscribe(T, m -> atA.add(new String(m.data()))));
    join(gb.subscribe(T, m -> {}));
    // nobody dialled: the services did, at start
    await()
        .atMost(WAIT)
        .until(
            () ->
                join(ga.topicPeers(T)).contains(b.peerId())
                    && join(gb.topicPeers(T)).contains(a.peerId()));
    join(gb.publish(T, "first".getBytes()));
    await().atMost(WAIT).until(() -> atA.contains("first"));
    assertThat(join(ga.meshPeers(T))).isEmpty();
    assertThat(join(gb.meshPeers(T))).isEmpty();
    // the connection drops: it comes back within the reconnect interval, and messages flow again
    for (Connection c : a.connections(b.peerId())) {
      join(c.close());
    }
    AtomicInteger n = new AtomicInteger();
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              join(gb.publish(T, ("second-" + n.incrementAndGet()).getBytes()));
              return atA.stream().anyMatch(m -> m.startsWith("second-"));
            });
    assertThat(a.connections(b.peerId())).isNotEmpty();
  }

  /** A trusts its bootstrapper: P5 gives it a score above the accept-PX threshold. */
  private static GossipSubConfig.Builder trusting(PeerId bootstrapper) {
    return GossipSubConfig.builder()
        .doPx(true)
        .score(
            PeerScoreParams.builder()
                .appSpecificScore(p -> p.equals(bootstrapper) ? 100 : 0, 1)
                .build());
  }

  @Test
  void peerExchangeCarriesSignedRecordsThatLetAPeerDialAStranger() {
    Host a = host(Keys.generateEd25519());
    Host b = host(Keys.generateEd25519());
    Host c = host(Keys.generateEd25519());
    // b keeps a mesh of one and offers PX when it prunes
    GossipSub gb = gossip(b, GossipSubConfig.builder().doPx(true).mesh(1, 1, 1, 0));
    GossipSub gc = gossip(c, GossipSubConfig.builder());
    GossipSub ga = gossip(a, trusting(b.peerId()));
    join(gb.subscribe(T, m -> {}));
    join(gc.subscribe(T, m -> {}));
    join(b.dial(c.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> join(gb.meshPeers(T)).contains(c.peerId()));
    join(a.dial(b.listenAddresses().get(0)));
    await()
        .atMost(WAIT)
        .until(
            () ->
                join(ga.score(b.peerId())) == 100.0 && join(ga.topicPeers(T)).contains(b.peerId()));
    assertThat(a.peerStore().addresses(c.peerId())).as("a knows nothing of c").isEmpty();
    // a joins and grafts b; b's mesh is full, so it prunes a and hands it c with c's record
    join(ga.subscribe(T, m -> {}));
    await().atMost(WAIT).until(() -> !a.connections(c.peerId()).isEmpty());
    assertThat(a.peerStore().addresses(c.peerId())).isNotEmpty();
    await().atMost(WAIT).until(() -> join(ga.meshPeers(T)).contains(c.peerId()));
  }

  @Test
  void attackPxFloodDialsAtMostMaxPxConnectsAtOnce() throws Exception {
    // a listener that accepts and never answers: every dial to it hangs until its timeout
    ServerSocket sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    others.add(sink);
    AtomicInteger accepted = new AtomicInteger();
    List<Socket> held = new CopyOnWriteArrayList<>();
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  held.add(sink.accept());
                  accepted.incrementAndGet();
                }
              } catch (IOException closed) {
                // the test is over
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    others.add(
        () -> {
          for (Socket s : held) {
            s.close();
          }
        });
    Host a = host(Keys.generateEd25519());
    Host b = host(Keys.generateEd25519());
    GossipSub ga = gossip(a, trusting(b.peerId()).maxPxConnects(2));
    GossipSub gb = gossip(b, GossipSubConfig.builder());
    join(ga.subscribe(T, m -> {}));
    join(gb.subscribe(T, m -> {}));
    join(a.dial(b.listenAddresses().get(0)));
    await().atMost(WAIT).until(() -> join(ga.score(b.peerId())) == 100.0);
    ControlPrune.Builder prune = ControlPrune.newBuilder().setTopicID(T).setBackoff(1);
    Multiaddr hang = Multiaddr.parse("/ip4/127.0.0.1/tcp/" + sink.getLocalPort());
    for (int i = 0; i < 16; i++) {
      IdentityPrivateKey k = Keys.generateEd25519();
      PeerId id = PeerId.fromPublicKey(k.publicKey());
      byte[] record = new PeerRecord(id, 1, List.of(hang)).seal(k).toBytes();
      prune.addPeers(
          PeerInfo.newBuilder()
              .setPeerID(ByteString.copyFrom(id.toBytes()))
              .setSignedPeerRecord(ByteString.copyFrom(record)));
    }
    // b's raw stream replaces its service's inbound one at a: the PRUNE is b's to a
    Stream raw = join(b.newStream(a.peerId(), List.of("/meshsub/1.1.0")));
    RPC rpc = RPC.newBuilder().setControl(ControlMessage.newBuilder().addPrune(prune)).build();
    join(raw.write(RpcFraming.encode(rpc)));
    await().atMost(WAIT).until(() -> ga.stats().pxSkipped() == 14);
    await().atMost(WAIT).until(() -> accepted.get() == 2);
    assertThat(ga.stats().pxSkipped()).isEqualTo(14);
  }
}
