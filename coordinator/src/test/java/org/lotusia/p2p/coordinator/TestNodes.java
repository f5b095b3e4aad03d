package org.lotusia.p2p.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Coordinators on loopback for tests, with timers short enough for a test and every node stopped
 * by {@link #close()}.
 */
final class TestNodes implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(30);

  private final List<P2PCoordinator> nodes = new ArrayList<>();

  /** A configuration for a loopback test node. */
  static P2PConfigBuilder config() {
    return P2PConfig.builder()
        .listen("/ip4/127.0.0.1/tcp/0")
        .dhtServer(true)
        .monitor(MonitorConfig.fast())
        .discoverTimeout(Duration.ofSeconds(10))
        .callbackThreads(2);
  }

  /** Starts a node with the test configuration. */
  P2PCoordinator start() {
    return start(b -> b);
  }

  /** Starts a node with the test configuration changed by {@code change}. */
  P2PCoordinator start(UnaryOperator<P2PConfigBuilder> change) {
    P2PCoordinator node = new P2PCoordinator(change.apply(config()).build());
    nodes.add(node);
    join(node.start());
    return node;
  }

  /** The first listen address of a node, with its peer ID. */
  static String addr(P2PCoordinator node) {
    return node.getStats().multiaddrs().get(0);
  }

  /** Connects {@code a} to {@code b}. */
  static void connect(P2PCoordinator a, P2PCoordinator b) {
    join(a.connectToPeer(addr(b)));
  }

  static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
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
    for (P2PCoordinator n : nodes) {
      n.close();
    }
  }
}
