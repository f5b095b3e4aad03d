package org.lotusia.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.NoiseCipher;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.PrivateKey;
import org.lotusia.node.data.DataDir;
import org.lotusia.node.status.StatusReport;
import org.lotusia.p2p.coordinator.P2PConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lotus-p2p node}: runs a {@code P2PCoordinator} (Kad-DHT, GossipSub, the security manager,
 * direct messages, resources) with a data directory, until SIGINT or SIGTERM.
 */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run a node until interrupted: prints its listen addresses, then one line per event.",
      "Keeps its identity, known peers and the DHT records it serves in --data-dir."
    })
final class NodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "MULTIADDR",
      description = "Listen address (repeatable), TCP or WebSocket (.../tcp/PORT/ws). Default: /ip4/127.0.0.1/tcp/0")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--announce",
      paramLabel = "MULTIADDR",
      description = "Address announced to peers instead of the listen addresses (repeatable).")
  List<String> announce = new ArrayList<>();

  @Option(
      names = "--bootstrap",
      paramLabel = "MULTIADDR",
      description = "Bootstrap peer, ending in /p2p/<peer ID> (repeatable); dialled at start and kept.")
  List<String> bootstrap = new ArrayList<>();

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description = "Private key file; created (Ed25519, mode 600) when absent. Default: DIR/identity.key")
  Path identity;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Data directory: identity, known peers, DHT records. Default: ~/.lotus-p2p/node")
  Path dataDir;

  @Option(
      names = "--dht-server",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Serve the DHT and store records for others (default; --no-dht-server: client mode).")
  boolean dhtServer;

  @Option(
      names = "--relay-server",
      description = "Relay connections for other peers (circuit relay v2 hop service). Off by default.")
  boolean relayServer;

  @Option(names = "--no-gossip", description = "Do not run GossipSub.")
  boolean noGossip;

  @Option(names = "--topic", paramLabel = "TOPIC", description = "Subscribe to a GossipSub topic (repeatable).")
  List<String> topics = new ArrayList<>();

  @Option(
      names = "--status",
      paramLabel = "[HOST:]PORT",
      description = "Serve /status, /metrics and a status page over HTTP (host default 127.0.0.1). Off by default.")
  String status;

  @Option(
      names = "--json",
      description =
          "First print {\"peerId\":...,\"addrs\":[...],\"noiseCipher\":{...}}, then one JSON object per"
              + " event per line.")
  boolean json;

  /** Counted down by the shutdown hook; visible for tests that run the command in-process. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (noGossip && !topics.isEmpty()) {
      throw new IllegalArgumentException("--topic needs GossipSub; it cannot be combined with --no-gossip");
    }
    Optional<java.net.InetSocketAddress> statusAddr = Optional.ofNullable(status).map(Cli::parseHostPort);
    P2PConfig.Builder config =
        P2PConfig.builder()
            .listen(listen.isEmpty() ? new String[] {"/ip4/127.0.0.1/tcp/0"} : listen.toArray(String[]::new))
            .announce(announce.toArray(String[]::new))
            .bootstrapPeers(bootstrap.toArray(String[]::new))
            .dhtServer(dhtServer)
            .enableGossipSub(!noGossip)
            .enableRelayServer(relayServer)
            .agentVersion("lotus-p2p-node/0.1.0");
    config.build(); // every address is checked before anything is opened
    try (DataDir dir = DataDir.open(dataDir == null ? DataDir.defaultPath() : dataDir)) {
      Path keyFile = identity != null ? identity : dir.identityFile();
      PrivateKey key = KeyFiles.loadOrCreate(keyFile, KeyType.ED25519);
      config.identity(key).dhtPersistence(dir.store().dhtPersistence());
      NodeSession session = new NodeSession(config.build(), dir, new EventPrinter(out, json), statusAddr, topics);
      CountDownLatch stopped = new CountDownLatch(1);
      Thread hook =
          new Thread(
              () -> {
                stop.countDown();
                boolean clean = false;
                try {
                  clean = stopped.await(NodeSession.SHUTDOWN_SECONDS + 2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                out.flush();
                System.out.flush();
                System.err.flush();
                // a JVM ended by a signal exits with 128 + the signal's number; a node that shut
                // down cleanly on SIGINT or SIGTERM exits 0, one that did not finish in time 1
                Runtime.getRuntime().halt(clean ? 0 : 1);
              },
              "lotus-p2p-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        session.start();
        printStarted(out, session);
        session.events().release();
        stop.await();
      } finally {
        session.close();
        stopped.countDown();
      }
    }
    return 0;
  }

  private void printStarted(PrintWriter out, NodeSession session) {
    List<String> addrs = session.addresses();
    synchronized (out) {
      if (json) {
        ObjectNode line = new ObjectMapper().createObjectNode();
        line.put("peerId", session.peerId());
        ArrayNode array = line.putArray("addrs");
        addrs.forEach(array::add);
        session.statusPort().ifPresent(p -> line.put("statusPort", p));
        // Which ChaCha20-Poly1305 encrypts Noise; "provisional" until the calibration settles
        // (the settled choice is logged once and shown by /status).
        line.set("noiseCipher", StatusReport.noiseCipher(NoiseCipher.current()));
        out.println(line);
      }
      if (!json) {
        addrs.forEach(out::println);
        session.statusPort().ifPresent(p -> out.println("status: http://" + session.statusHost() + ":" + p + "/"));
      }
      out.flush();
    }
  }
}
