package org.lotusia.node.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PConfigBuilder;
import org.lotusia.p2p.coordinator.P2PCoordinator;

/**
 * The demo's nodes: {@code n} coordinators on loopback, configured as {@code lotus-p2p node} runs
 * them (DHT server, GossipSub on), node 0 first and the others bootstrapping from it. Closes them
 * all. Used from the demo's thread.
 */
public final class DemoNetwork implements AutoCloseable {

  private final List<P2PCoordinator> nodes = new ArrayList<>();
  private final Duration stepTimeout;

  /**
   * An empty network.
   *
   * @param stepTimeout how long a step may wait for a condition
   */
  public DemoNetwork(Duration stepTimeout) {
    this.stepTimeout = stepTimeout;
  }

  /**
   * Starts node {@code i}: the first listens alone, the others bootstrap from it.
   *
   * @return the started node
   */
  P2PCoordinator startNode() {
    P2PConfigBuilder b =
        P2PConfig.builder()
            .listen("/ip4/127.0.0.1/tcp/0")
            .dhtServer(true)
            .callbackThreads(2)
            .agentVersion("lotus-p2p-demo/0.1.0");
    if (!nodes.isEmpty()) {
      b.bootstrapPeers(nodes.get(0).getStats().multiaddrs().get(0));
    }
    P2PCoordinator node = new P2PCoordinator(b.build());
    nodes.add(node);
    await(node.start(), "node " + (nodes.size() - 1) + " to start");
    return node;
  }

  /**
   * The nodes, in start order.
   *
   * @return the nodes
   */
  public List<P2PCoordinator> nodes() {
    return List.copyOf(nodes);
  }

  /**
   * Waits for {@code future} within the step timeout.
   *
   * @param future the future
   * @param what what is waited for, said in the error
   * @return its value
   * @throws IllegalStateException when it fails or the timeout passes
   */
  public <T> T await(CompletableFuture<T> future, String what) {
    try {
      return future.get(stepTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("timed out after " + stepTimeout.toSeconds() + " s waiting for " + what);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw new IllegalStateException(what + " failed: " + (c.getMessage() == null ? c.toString() : c.getMessage()), c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what);
    }
  }

  /**
   * Polls {@code condition} until it holds, reporting {@code progress} as it goes.
   *
   * @param what what is waited for, said in the error
   * @param condition the condition
   * @param progress the progress text to report
   * @param sink where to report it
   * @throws IllegalStateException when the step timeout passes first
   */
  public void awaitCondition(
      String what, BooleanSupplier condition, Supplier<String> progress, DemoStep.Progress sink) {
    Instant deadline = Instant.now().plus(stepTimeout);
    while (!condition.getAsBoolean()) {
      sink.update(progress.get());
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "timed out after " + stepTimeout.toSeconds() + " s waiting for " + what + " (" + progress.get() + ")");
      }
      try {
        Thread.sleep(50); // polls in-process state; every network wait has its own deadline
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what);
      }
    }
    sink.update(progress.get());
  }

  /** Stops every node. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (P2PCoordinator n : nodes) {
      stops.add(n.stop());
    }
    try {
      CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // close() below waits for each node again
    }
    nodes.forEach(P2PCoordinator::close);
  }
}
