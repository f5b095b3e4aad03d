package org.lotusia.node;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PConfigBuilder;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.PeerInfo;

/**
 * The short-lived node a tool joins the network with: a coordinator in DHT client mode on a
 * loopback port, with an ephemeral identity unless {@code --identity} names a key file, connected
 * to every {@code --bootstrap} peer before the tool runs. {@link #close()} leaves with GoAway.
 *
 * <p>Used from the command's thread only.
 */
final class ToolNode implements AutoCloseable {

  private final P2PCoordinator node;
  private final NetworkOptions options;
  private final Instant deadline;

  private ToolNode(P2PCoordinator node, NetworkOptions options) {
    this.node = node;
    this.options = options;
    this.deadline = Instant.now().plusSeconds(options.timeoutSeconds);
  }

  /**
   * Starts a node and connects it to the bootstrap peers.
   *
   * @param options the tool's options (checked here)
   * @param gossip whether GossipSub runs
   * @return the connected node
   */
  static ToolNode join(NetworkOptions options, boolean gossip) {
    options.check();
    P2PConfigBuilder b =
        P2PConfig.builder()
            .listen("/ip4/127.0.0.1/tcp/0")
            .dhtServer(false)
            .enableGossipSub(gossip)
            .callbackThreads(2)
            .agentVersion("lotus-p2p-cli/0.1.0");
    if (options.identity != null) {
      b.identity(KeyFiles.loadOrCreate(options.identity, KeyType.ED25519));
    }
    ToolNode t = new ToolNode(new P2PCoordinator(b.build()), options);
    try {
      Cli.await(t.node.start(), options.timeoutSeconds);
      for (String addr : options.bootstrap) {
        Cli.await(t.node.connectToPeer(addr), t.secondsLeft());
      }
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
    return t;
  }

  P2PCoordinator node() {
    return node;
  }

  long secondsLeft() {
    return Math.max(1, Duration.between(Instant.now(), deadline).toSeconds());
  }

  /**
   * Waits until {@code condition} holds, polling, until the deadline.
   *
   * @param what said in the error when the deadline passes
   * @throws IllegalStateException "timed out after N s waiting for WHAT"
   */
  void awaitCondition(String what, BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "timed out after " + options.timeoutSeconds + " s waiting for " + what);
      }
      try {
        Thread.sleep(50); // polling a local condition; no network wait is expressed as a sleep
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted");
      }
    }
  }

  /** Waits until the DHT routing table has a peer, so that puts and gets reach the network. */
  void awaitDht() {
    awaitCondition("a DHT server among the bootstrap peers", () -> node.getDHTStats().routingTableSize() > 0);
  }

  @Override
  public void close() {
    try {
      for (PeerInfo p : node.getConnectedPeers()) {
        node.disconnectFromPeer(p.peerId()).get(2, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // leaving anyway: stop() closes what is left
    }
    node.close();
  }
}
