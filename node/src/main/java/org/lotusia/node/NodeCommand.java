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
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.libp2p.NoiseCipher;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.node.data.DataDir;
import org.lotusia.node.status.StatusReport;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PConfigBuilder;
import org.lotusia.p2p.coordinator.WssConfig;
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
      description =
          "Listen address (repeatable): TCP, WebSocket (.../tcp/PORT/ws) or secure WebSocket"
              + " (.../tcp/PORT/wss, with --wss-cert). Default: /ip4/127.0.0.1/tcp/0")
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

  @Option(
      names = "--wss-cert",
      paramLabel = "FILE",
      description =
          "Certificate of the /wss listen addresses: a PEM chain, leaf first (with --wss-key), or a"
              + " PKCS#12 file (with --wss-password-file).")
  Path wssCert;

  @Option(names = "--wss-key", paramLabel = "FILE", description = "PEM private key of --wss-cert.")
  Path wssKey;

  @Option(
      names = "--wss-password-file",
      paramLabel = "FILE",
      description = "File whose first line is the password of a PKCS#12 --wss-cert or an encrypted --wss-key.")
  Path wssPasswordFile;

  @Option(
      names = "--upnp",
      description =
          "Map the TCP listen ports on the LAN's UPnP gateway; a mapped address is advertised once"
              + " AutoNAT confirms it reachable. Off by default.")
  boolean upnp;

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
          "First print {\"peerId\":...,\"addrs\":[...],\"noiseCipher\":{...},\"secp256k1\":{...}}, then"
              + " one JSON object per event per line.")
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
    P2PConfigBuilder config =
        P2PConfig.builder()
            .listen(listen.isEmpty() ? new String[] {"/ip4/127.0.0.1/tcp/0"} : listen.toArray(String[]::new))
            .announce(announce.toArray(String[]::new))
            .bootstrapPeers(bootstrap.toArray(String[]::new))
            .dhtServer(dhtServer)
            .enableGossipSub(!noGossip)
            .enableRelayServer(relayServer)
            .enableUpnp(upnp)
            .agentVersion("lotus-p2p-node/0.1.0");
    wssConfig().ifPresent(config::wss);
    config.build(); // every address is checked before anything is opened
    try (DataDir dir = DataDir.open(dataDir == null ? DataDir.defaultPath() : dataDir)) {
      Path keyFile = identity != null ? identity : dir.identityFile();
      IdentityPrivateKey key = KeyFiles.loadOrCreate(keyFile, KeyType.ED25519);
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

  /** The /wss certificate from the flags; checked for consistency, files read at start. */
  private Optional<WssConfig> wssConfig() throws java.io.IOException {
    if (wssCert == null) {
      if (wssKey != null || wssPasswordFile != null) {
        throw new IllegalArgumentException("--wss-key and --wss-password-file need --wss-cert");
      }
      for (String l : listen) {
        if (l.contains("/wss") || l.contains("/tls/")) {
          throw new IllegalArgumentException(
              "--listen " + l + " needs a certificate: give --wss-cert (and --wss-key or"
                  + " --wss-password-file)");
        }
      }
      return Optional.empty();
    }
    Optional<String> password = Optional.empty();
    if (wssPasswordFile != null) {
      try (java.io.BufferedReader r = java.nio.file.Files.newBufferedReader(wssPasswordFile)) {
        password = Optional.of(Optional.ofNullable(r.readLine()).orElse(""));
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException("--wss-password-file: no such file: " + wssPasswordFile, e);
      }
    }
    if (wssKey == null && password.isEmpty()) {
      throw new IllegalArgumentException(
          "--wss-cert needs --wss-key (a PEM chain) or --wss-password-file (a PKCS#12 file)");
    }
    return Optional.of(new WssConfig(wssCert, Optional.ofNullable(wssKey), password));
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
        // Which secp256k1 implementation signs and verifies (libsecp256k1 where it loads).
        line.set("secp256k1", StatusReport.secp256k1(Secp256k1.defaultProviderChoice()));
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
