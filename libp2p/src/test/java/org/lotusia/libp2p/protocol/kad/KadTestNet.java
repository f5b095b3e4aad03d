package org.lotusia.libp2p.protocol.kad;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.stack.SecureChannels;
import org.lotusia.libp2p.stack.Transports;

/** In-memory hosts running the DHT for tests; closes everything it made. */
final class KadTestNet implements AutoCloseable {
  static final String PROTO = KadDhtConfig.LOTUS_PROTOCOL;

  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();
  private final UnaryOperator<KadDhtConfig.Builder> base;
  private final Clock clock;

  /** Nodes configured by {@code base} on top of the test defaults, with the system clock. */
  KadTestNet(UnaryOperator<KadDhtConfig.Builder> base) {
    this(base, Clock.systemUTC());
  }

  KadTestNet(UnaryOperator<KadDhtConfig.Builder> base, Clock clock) {
    this.base = base;
    this.clock = clock;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(90, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  Host host() {
    return host(Keys.generateEd25519());
  }

  Host host(IdentityPrivateKey key) {
    return host(key, b -> b);
  }

  /** A started host with the test defaults, then {@code custom} applied to its builder. */
  Host host(IdentityPrivateKey key, UnaryOperator<HostBuilder> custom) {
    Host h =
        custom
            .apply(
                new HostBuilder()
                    .identity(key)
                    .transports(Transports.memory())
                    .security(SecureChannels.plaintext())
                    .listen("/ip4/127.0.0.1/tcp/0")
                    .eventLoopThreads(1))
            .build();
    join(h.start());
    hosts.add(h);
    return h;
  }

  /** The test defaults: the lotus protocol, short timeouts, an accept-all lotus namespace. */
  KadDhtConfig.Builder defaults() {
    return base.apply(
        KadDhtConfig.builder()
            .protocolId(PROTO)
            .requestTimeout(Duration.ofSeconds(5))
            .queryTimeout(Duration.ofSeconds(30))
            .validator("lotus", (k, v) -> {}));
  }

  KadDht dht(Host h) {
    return dht(h, defaults());
  }

  KadDht dht(Host h, KadDhtConfig.Builder config) {
    KadDht d = new KadDht(h, config.build(), clock);
    d.start();
    dhts.add(d);
    return d;
  }

  KadDht node() {
    return dht(host());
  }

  /** {@code n} nodes that all dial node 0, then bootstrap. */
  List<KadDht> network(int n) {
    List<KadDht> nodes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      nodes.add(node());
    }
    connect(nodes);
    return nodes;
  }

  /** Dials node 0 from every other node, waits until it is in their tables, then bootstraps all. */
  static void connect(List<KadDht> nodes) {
    Host boot = nodes.get(0).host;
    for (KadDht d : nodes.subList(1, nodes.size())) {
      join(d.host.dial(boot.listenAddresses().get(0)));
    }
    for (KadDht d : nodes.subList(1, nodes.size())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> join(d.routingTablePeers()).contains(boot.peerId()));
    }
    for (KadDht d : nodes) {
      join(d.bootstrap());
    }
  }

  @Override
  public void close() {
    dhts.forEach(KadDht::close);
    hosts.forEach(h -> join(h.closeAsync()));
  }
}
