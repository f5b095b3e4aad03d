package org.lotusia.p2p.coordinator.discovery;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.coordinator.MonitorConfig;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PConfigBuilder;
import org.lotusia.p2p.coordinator.P2PCoordinator;

/** Coordinators on loopback with discovery systems, all closed by {@link #close()}. */
final class DiscoveryNodes implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(60);

  private final List<P2PCoordinator> coordinators = new ArrayList<>();
  private final List<DiscoverySystem> systems = new ArrayList<>();

  static P2PConfigBuilder config() {
    return P2PConfig.builder()
        .listen("/ip4/127.0.0.1/tcp/0")
        .dhtServer(true)
        .monitor(MonitorConfig.fast())
        .discoverTimeout(Duration.ofSeconds(10))
        .callbackThreads(2);
  }

  P2PCoordinator coordinator(String... bootstrap) {
    P2PCoordinator node = new P2PCoordinator(config().bootstrapPeers(bootstrap).build());
    coordinators.add(node);
    join(node.start());
    return node;
  }

  DiscoverySystem system(P2PCoordinator node, String protocol, DiscoveryOptions options) {
    return system(node, protocol, PrivateKey.random(new SecureRandom()), options);
  }

  DiscoverySystem system(P2PCoordinator node, String protocol, PrivateKey key, DiscoveryOptions options) {
    DiscoverySystem s = DiscoverySystem.create(node, protocol, key, options);
    systems.add(s);
    join(s.start());
    return s;
  }

  static String addr(P2PCoordinator node) {
    return node.getStats().multiaddrs().get(0);
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    systems.forEach(DiscoverySystem::close);
    coordinators.forEach(P2PCoordinator::close);
  }
}
