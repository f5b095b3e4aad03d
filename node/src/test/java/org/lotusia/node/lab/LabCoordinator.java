package org.lotusia.node.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.netlab.LabProcess;
import org.lotusia.musig2.p2p.FileSessionStore;
import org.lotusia.musig2.p2p.InMemorySessionStore;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionStore;
import org.lotusia.musig2.p2p.net.MuSig2Sessions;
import org.lotusia.node.data.DataDir;
import org.lotusia.p2p.coordinator.MonitorConfig;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PConfigBuilder;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolHandler;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * A {@link P2PCoordinator} with a MuSig2 binding, run in a lab namespace by {@link LabProcess} and
 * driven over standard input, for the bad-network scenarios. Arguments: {@code <ip> <port>
 * [dataDir]}; with a data directory the node keeps its identity and DHT records there as {@code
 * lotus-p2p node} does ({@link DataDir}), and its signer key and MuSig2 sessions beside them, so a
 * restart after {@code kill -9} finds them.
 *
 * <p>Commands (answers start with {@value LabProcess#PREFIX} and the command's word): {@code
 * connect <multiaddr>}; {@code send <peerId> <text>} (a direct message; {@code send ok} once the
 * coordinator accepted and wrote it, {@code send error ...} otherwise); {@code subscribe <topic>};
 * {@code publish <topic> <text>}; {@code topicpeers <topic>} (answers the count); {@code peers}
 * (connected peers, count); {@code announce <type> <id> <text>}; {@code discover <type> <id>}
 * ({@code discover <text>} or {@code discover none}); {@code musig <msgHex> <key,key,...>} (creates
 * a session over those signer keys; answers {@code musig <sessionId>}); {@code hold <wireType>}
 * (this node's session messages of that type are held back from now on, so a session stops at
 * that step); {@code check} (identity, DHT entries, stored sessions, files); {@code quit}.
 *
 * <p>Events: {@code ready <peerId> <multiaddr> <signerKeyHex>}; {@code direct <fromPeerId> <text>}
 * and {@code topic <topic> <text>} for every message handed to the application; {@code
 * peer-up|peer-down <peerId>}; {@code done <sessionId> <signatureHex>} and {@code aborted
 * <sessionId> <code> <message>} for sessions, and {@code nonces <sessionId>} once every nonce of one
 * is in; this node joins every announced session that lists
 * its key, as a wallet that agreed to it beforehand would; {@code recovered <count> [ids]} once the
 * sessions of a previous run are dealt with.
 */
public final class LabCoordinator {

  static final String PROTOCOL = "lab";
  static final String SIGNER_KEY = "signer.key";
  static final String SESSIONS = "sessions";

  private LabCoordinator() {}

  static void say(String line) {
    synchronized (System.out) {
      System.out.println(LabProcess.PREFIX + line);
      System.out.flush();
    }
  }

  /** Runs the node; see the class comment. */
  public static void main(String[] args) throws Exception {
    String ip = args[0];
    P2PConfigBuilder config =
        P2PConfig.builder()
            .listen("/ip4/" + ip + "/tcp/" + args[1])
            .dhtServer(true)
            .monitor(MonitorConfig.fast())
            .discoverTimeout(Duration.ofSeconds(20))
            .dialTimeout(Duration.ofSeconds(30))
            .sendTimeout(Duration.ofSeconds(30))
            .callbackThreads(2);
    SecureRandom random = new SecureRandom();
    PrivateKey key;
    SessionStore sessionStore;
    DataDir dir = null;
    if (args.length > 2) {
      // as the node does: identity and DHT records in the data directory; a wallet's signer key
      // and its session store beside them
      dir = DataDir.open(Path.of(args[2]));
      config.identity(KeyFiles.loadOrCreate(dir.identityFile(), KeyType.ED25519))
          .dhtPersistence(dir.store().dhtPersistence());
      key = signerKey(dir.path().resolve(SIGNER_KEY), random);
      sessionStore = new FileSessionStore(dir.path().resolve(SESSIONS));
    } else {
      key = PrivateKey.random(random);
      sessionStore = new InMemorySessionStore();
    }
    DataDir data = dir;
    P2PCoordinator node = new P2PCoordinator(config.build());
    node.start().get(60, TimeUnit.SECONDS);
    node.registerProtocol(new DirectHandler());
    node.on(P2PEvent.PeerConnected.class, e -> say("peer-up " + e.peerId()));
    node.on(P2PEvent.PeerDisconnected.class, e -> say("peer-down " + e.peerId()));

    Map<String, CompletableFuture<SessionHandle>> joined = new ConcurrentHashMap<>();
    MuSig2Sessions[] binding = new MuSig2Sessions[1];
    HoldingNetwork[] holding = new HoldingNetwork[1];
    byte[] myKey = key.publicKeyBytes();
    binding[0] =
        MuSig2Sessions.builder(node, key)
            .config(SessionConfig.defaults())
            .store(sessionStore)
            .random(random)
            .decorateNetwork(n -> holding[0] = new HoldingNetwork(n))
            .listener(e -> onSessionEvent(e, myKey, binding, joined))
            .build();
    binding[0].recovered().thenAccept(ids -> say("recovered " + ids.size() + " " + ids));
    HexFormat hex = HexFormat.of();
    say("ready " + node.peerId() + " " + node.getStats().multiaddrs().get(0) + " "
        + hex.formatHex(myKey));

    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ", 4);
      String word = w[0];
      try {
        switch (word) {
          case "connect" -> {
            node.connectToPeer(w[1]).get(90, TimeUnit.SECONDS);
            say("connect ok");
          }
          case "send" -> {
            P2PMessage m = node.createMessage("lab-direct", w[2], PROTOCOL);
            node.sendTo(w[1], m).whenComplete((v, e) -> say(
                "send " + (e == null ? "ok " : "error ") + w[1] + " " + w[2]
                    + (e == null ? "" : " " + e)));
          }
          case "subscribe" -> {
            String topic = w[1];
            node.subscribeToTopic(topic, m -> say("topic " + topic + " " + m.json().asText()))
                .get(60, TimeUnit.SECONDS);
            say("subscribe ok");
          }
          case "publish" -> {
            node.publishToTopic(w[1], w[2]).get(60, TimeUnit.SECONDS);
            say("publish ok");
          }
          case "topicpeers" -> say("topicpeers " + node.getTopicPeers(w[1]).size());
          case "peers" -> say("peers " + node.getConnectedPeers().stream()
              .filter(PeerInfo::connected).count());
          case "announce" -> {
            node.announceResource(w[1], w[2], w[3]).get(90, TimeUnit.SECONDS);
            say("announce ok");
          }
          case "discover" -> {
            var found = node.discoverResource(w[1], w[2]).get(90, TimeUnit.SECONDS);
            say("discover " + found.map(a -> a.data().asText()).orElse("none"));
          }
          case "musig" -> {
            byte[] message = hex.parseHex(w[1]);
            List<byte[]> keys = new ArrayList<>();
            for (String k : w[2].split(",")) {
              keys.add(hex.parseHex(k));
            }
            SessionHandle h =
                binding[0].create(keys, message, SessionOptions.defaults()).get(60, TimeUnit.SECONDS);
            say("musig " + h.sessionId());
          }
          case "hold" -> {
            holding[0].hold(w[1]);
            say("hold ok");
          }
          case "check" -> say("check " + check(data, sessionStore, node));
          case "quit" -> {
            binding[0].close();
            node.close();
            if (data != null) {
              data.close();
            }
            say("quit");
            System.exit(0);
          }
          default -> say("error unknown command " + word);
        }
      } catch (Exception e) {
        say(word + " error " + e);
      }
    }
    System.exit(0);
  }

  /** The signer key in {@code file} (hex), made and written on first use. */
  private static PrivateKey signerKey(Path file, SecureRandom random) throws IOException {
    if (Files.exists(file)) {
      return PrivateKey.fromBytes(HexFormat.of().parseHex(Files.readString(file).trim()));
    }
    PrivateKey k = PrivateKey.random(random);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, HexFormat.of().formatHex(k.toBytes()));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    return k;
  }

  /**
   * What a user would check after a crash: the identity, how many DHT entries and stored sessions
   * were read back (every session file parses), and the data directory's files.
   */
  private static String check(DataDir data, SessionStore store, P2PCoordinator node)
      throws IOException {
    if (data == null) {
      return "no-data-dir";
    }
    List<String> files;
    try (var list = Files.list(data.path())) {
      files = list.map(f -> f.getFileName().toString()).sorted().toList();
    }
    return "peer=" + node.peerId() + " dht=" + data.store().dhtEntries() + " sessions="
        + store.loadAll().size() + " files=" + String.join(",", files);
  }

  private static void onSessionEvent(
      SessionEvent e,
      byte[] myKey,
      MuSig2Sessions[] binding,
      Map<String, CompletableFuture<SessionHandle>> joined) {
    HexFormat hex = HexFormat.of();
    if (e instanceof SessionEvent.SessionDiscovered d && d.announcement().indexOf(myKey) >= 0) {
      joined.computeIfAbsent(d.sessionId(), id -> binding[0].join(d.announcement(), null))
          .whenComplete((h, x) -> {
            if (x != null) {
              say("aborted " + d.sessionId() + " JOIN " + x);
            }
          });
    } else if (e instanceof SessionEvent.NoncesComplete nc) {
      say("nonces " + nc.sessionId());
    } else if (e instanceof SessionEvent.SessionCompleted c) {
      say("done " + c.sessionId() + " " + hex.formatHex(c.result().signature()));
    } else if (e instanceof SessionEvent.SessionAborted a) {
      say("aborted " + a.sessionId() + " " + a.reason().code() + " " + a.reason().message());
    }
  }

  /** Direct messages of the lab: every one is reported as it reaches the application. */
  private static final class DirectHandler implements ProtocolHandler {
    @Override
    public String protocolName() {
      return PROTOCOL;
    }

    @Override
    public void handleMessage(P2PMessage message, PeerInfo from) {
      say("direct " + from.peerId() + " " + message.payload().asText());
    }
  }
}
