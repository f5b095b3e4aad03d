package org.lotusia.node;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.protocol.perf.Perf;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.node.data.DataDir;
import org.lotusia.node.status.NodeMetrics;
import org.lotusia.node.status.StatusReport;
import org.lotusia.node.status.StatusServer;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@code lotus-p2p node}: the coordinator with its data directory, event printer, topic
 * subscriptions, known peers (restored and dialled at start, saved every {@value
 * #SNAPSHOT_SECONDS} s and at shutdown) and the optional status server.
 *
 * <p>{@link #close()} shuts down in order, within about {@value #SHUTDOWN_SECONDS} s: saves the
 * known peers, closes every connection with a Yamux GoAway, stops the coordinator (its timers, so no
 * more announcements), stops the status server and flushes the database. Not thread-safe: start
 * and close from one thread.
 */
final class NodeSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeSession.class);

  static final int SHUTDOWN_SECONDS = 6;
  static final int SNAPSHOT_SECONDS = 60;
  private static final int START_SECONDS = 30;

  private final P2PCoordinator node;
  private final DataDir dir;
  private final EventPrinter events;
  private final Optional<InetSocketAddress> statusAddress;
  private final List<String> topics;
  private final KnownPeers knownPeers;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "lotus-p2p-node-timer");
            t.setDaemon(true);
            return t;
          });
  private StatusServer status;
  private boolean closed;

  NodeSession(
      P2PConfig config,
      DataDir dir,
      EventPrinter events,
      Optional<InetSocketAddress> statusAddress,
      List<String> topics) {
    this.node = new P2PCoordinator(config);
    this.dir = dir;
    this.events = events;
    this.statusAddress = statusAddress;
    this.topics = List.copyOf(topics);
    this.knownPeers = new KnownPeers(node, dir.store(), Clock.systemUTC());
  }

  /** Starts the node, subscribes the topics, serves the status, restores the known peers. */
  void start() {
    node.addListener(events);
    // Kademlia's join: once the routing table has a peer, a lookup of the node's own ID fills it
    // with the peers near it, instead of waiting for the periodic refresh
    node.on(
        P2PEvent.DhtReady.class,
        e ->
            node.networkComponents()
                .flatMap(c -> c.dht())
                .ifPresent(
                    d ->
                        d.bootstrap()
                            .whenComplete(
                                (peers, err) -> {
                                  if (err != null) {
                                    LOG.debug("self lookup failed: {}", err.toString());
                                  }
                                })));
    try {
      Cli.await(node.start(), START_SECONDS);
      // the tools' ping and perf work against any node
      node.networkComponents()
          .map(c -> c.host())
          .ifPresent(
              h -> {
                if (!h.protocols().contains(Ping.PROTOCOL_ID)) {
                  h.addProtocol(new Ping());
                }
                h.addProtocol(new Perf());
              });
    } catch (RuntimeException e) {
      throw new NodeStartException(
          "cannot start the node on " + String.join(", ", node.config().listen()) + ": " + Errors.describe(e), e);
    }
    for (String t : topics) {
      Cli.await(node.subscribeToTopic(t, m -> {}), START_SECONDS);
    }
    if (statusAddress.isPresent()) {
      NodeMetrics metrics = new NodeMetrics(node);
      metrics.watchDht();
      StatusReport report =
          new StatusReport(
              node,
              Optional.of(new StatusReport.DataDirInfo(dir.path().toString(), dir.store()::dhtEntries)));
      status = StatusServer.start(statusAddress.get(), report, metrics);
    }
    knownPeers.restore();
    timer.scheduleWithFixedDelay(this::snapshot, SNAPSHOT_SECONDS, SNAPSHOT_SECONDS, TimeUnit.SECONDS);
  }

  private void snapshot() {
    try {
      knownPeers.snapshot();
      dir.store().flush();
    } catch (RuntimeException e) {
      LOG.warn("saving the known peers failed", e);
    }
  }

  /** The node could not start; the message names its listen addresses and the reason. */
  static final class NodeStartException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NodeStartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  EventPrinter events() {
    return events;
  }

  String peerId() {
    return node.peerId();
  }

  List<String> addresses() {
    return node.getStats().multiaddrs();
  }

  Optional<Integer> statusPort() {
    return Optional.ofNullable(status).map(StatusServer::port);
  }

  String statusHost() {
    return statusAddress.map(InetSocketAddress::getHostString).orElse("127.0.0.1");
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    snapshot();
    List<CompletableFuture<Void>> goAways = new ArrayList<>();
    for (PeerInfo p : node.getConnectedPeers()) {
      try {
        goAways.add(node.disconnectFromPeer(p.peerId()));
      } catch (RuntimeException e) {
        LOG.debug("disconnect {} failed: {}", p.peerId(), e.toString());
      }
    }
    try {
      CompletableFuture.allOf(goAways.toArray(CompletableFuture[]::new)).get(SHUTDOWN_SECONDS / 2, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.info("not every connection closed gracefully within {} s", SHUTDOWN_SECONDS / 2);
    }
    try {
      node.stop().get(SHUTDOWN_SECONDS / 2, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("the node did not stop within {} s", SHUTDOWN_SECONDS / 2);
    }
    if (status != null) {
      status.close();
    }
    node.close();
    dir.store().flush();
  }
}
