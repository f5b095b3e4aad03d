package org.lotusia.musig2.p2p.net;

import static org.awaitility.Awaitility.await;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.coordinator.MonitorConfig;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PConfigBuilder;
import org.lotusia.p2p.coordinator.P2PCoordinator;

/**
 * N coordinators on loopback, each with a signer key and its {@link MuSig2Sessions}: node i holds
 * key i, logs its session events, and (unless turned off) joins every announced session that lists
 * its key, as a wallet that agreed beforehand would. Closing stops every node.
 */
final class NetCluster implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(90);

  final List<P2PCoordinator> nodes = new ArrayList<>();
  final List<PrivateKey> keys = new ArrayList<>();
  final List<byte[]> publicKeys = new ArrayList<>();
  final List<MuSig2Sessions> sessions = new ArrayList<>();
  final List<ShapedNetwork> shaped = new ArrayList<>();
  final List<List<SessionEvent>> events = new ArrayList<>();
  private final List<Map<String, CompletableFuture<SessionHandle>>> handles = new ArrayList<>();
  private final SessionConfig config;
  private BiFunction<Integer, MuSig2Sessions.Builder, MuSig2Sessions.Builder> customize =
      (i, b) -> b;
  private boolean autoJoin = true;

  NetCluster(int n, long seed, SessionConfig config) {
    this(n, seed, config, b -> b);
  }

  NetCluster(int n, long seed, SessionConfig config, UnaryOperator<P2PConfigBuilder> nodeConfig) {
    this(n, seed, config, (i, b) -> nodeConfig.apply(b));
  }

  /** A cluster whose node i is configured by {@code nodeConfig.apply(i, defaults)}. */
  NetCluster(
      int n,
      long seed,
      SessionConfig config,
      BiFunction<Integer, P2PConfigBuilder, P2PConfigBuilder> nodeConfig) {
    this.config = config;
    Random rnd = new Random(seed);
    for (int i = 0; i < n; i++) {
      BigInteger d;
      do {
        d = new BigInteger(256, rnd);
      } while (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0);
      PrivateKey k = PrivateKey.of(d);
      keys.add(k);
      publicKeys.add(k.publicKeyBytes());
      events.add(new CopyOnWriteArrayList<>());
      handles.add(new ConcurrentHashMap<>());
      sessions.add(null);
      shaped.add(null);
    }
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      P2PCoordinator node = new P2PCoordinator(nodeConfig.apply(i, nodeConfig()).build());
      nodes.add(node);
      starts.add(node.start());
    }
    starts.forEach(NetCluster::join);
  }

  /** A loopback node: DHT server, short state checks, two callback threads. */
  static P2PConfigBuilder nodeConfig() {
    return P2PConfig.builder()
        .listen("/ip4/127.0.0.1/tcp/0")
        .dhtServer(true)
        .monitor(MonitorConfig.fast())
        .discoverTimeout(Duration.ofSeconds(10))
        .dialTimeout(Duration.ofSeconds(30))
        .maxConnections(256) // a 50-signer session talks to 49 peers directly
        .callbackThreads(2);
  }

  /** Changes the binding of each node before {@link #bindAll()}. */
  NetCluster customize(BiFunction<Integer, MuSig2Sessions.Builder, MuSig2Sessions.Builder> c) {
    this.customize = c;
    return this;
  }

  /** Sessions are then joined by the test. */
  NetCluster manualJoin() {
    this.autoJoin = false;
    return this;
  }

  /** Connects every pair of nodes (each node dials those after it). */
  NetCluster connectAll() {
    // at most 16 handshakes at a time: a 50-node mesh is 1225 connections on two cores
    List<CompletableFuture<?>> batch = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      for (int j = i + 1; j < nodes.size(); j++) {
        batch.add(nodes.get(i).connectToPeer(addr(nodes.get(j))));
        if (batch.size() == 16) {
          batch.forEach(NetCluster::join);
          batch.clear();
        }
      }
    }
    batch.forEach(NetCluster::join);
    return this;
  }

  /** Wires sessions to every node. */
  NetCluster bindAll() {
    for (int i = 0; i < nodes.size(); i++) {
      bind(i);
    }
    return this;
  }

  /** Wires sessions to node i (again, after a restart). */
  MuSig2Sessions bind(int i) {
    List<SessionEvent> log = events.get(i);
    MuSig2Sessions.Builder b =
        MuSig2Sessions.builder(nodes.get(i), keys.get(i))
            .config(config)
            .decorateNetwork(
                n -> {
                  ShapedNetwork sn = new ShapedNetwork(n);
                  shaped.set(i, sn);
                  return sn;
                })
            .listener(
                e -> {
                  log.add(e);
                  if (autoJoin && e instanceof SessionEvent.SessionDiscovered d
                      && d.announcement().indexOf(publicKeys.get(i)) >= 0) {
                    handles.get(i).put(d.sessionId(), sessions.get(i).join(d.announcement(), null));
                  }
                });
    MuSig2Sessions s = customize.apply(i, b).build();
    sessions.set(i, s);
    return s;
  }

  /** Waits until node i sees every other node subscribed to the announcement topic. */
  void awaitTopicPeers(int i) {
    awaitTopicPeers(i, nodes.size() - 1);
  }

  /** Waits until node i sees at least {@code peers} nodes subscribed to the announcement topic. */
  void awaitTopicPeers(int i, int peers) {
    await("node " + i + " sees " + peers + " topic peers")
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> nodes.get(i).getTopicPeers(SessionAnnouncement.TOPIC).size() >= peers);
  }

  /** Node i creates a session over every node's key. */
  SessionHandle create(int i, byte[] message, SessionOptions options) {
    SessionHandle h = join(sessions.get(i).create(publicKeys, message, options));
    handles.get(i).put(h.sessionId(), CompletableFuture.completedFuture(h));
    return h;
  }

  /** Node i creates a session over the keys of the given nodes. */
  SessionHandle create(int i, List<Integer> signers, byte[] message, SessionOptions options) {
    List<byte[]> keys = signers.stream().map(publicKeys::get).toList();
    SessionHandle h = join(sessions.get(i).create(keys, message, options));
    handles.get(i).put(h.sessionId(), CompletableFuture.completedFuture(h));
    return h;
  }

  /** Records a handle obtained by the test. */
  void putHandle(int i, SessionHandle h) {
    handles.get(i).put(h.sessionId(), CompletableFuture.completedFuture(h));
  }

  /** Node i's handle of a session, waiting for its join. */
  SessionHandle handle(int i, String sessionId) {
    await("node " + i + " joins " + sessionId)
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(10))
        .until(() -> handles.get(i).get(sessionId) != null);
    return join(handles.get(i).get(sessionId));
  }

  /** Node i's result of a session. */
  SessionResult result(int i, String sessionId) {
    return join(handle(i, sessionId).result());
  }

  /** Node i's events of a type. */
  <E extends SessionEvent> List<E> events(int i, Class<E> type) {
    return events.get(i).stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The node holding a signer index of an announcement. */
  int nodeOfSigner(SessionAnnouncement a, int signerIndex) {
    for (int i = 0; i < publicKeys.size(); i++) {
      if (a.indexOf(publicKeys.get(i)) == signerIndex) {
        return i;
      }
    }
    throw new AssertionError("no node holds signer " + signerIndex);
  }

  static String addr(P2PCoordinator node) {
    return node.getStats().multiaddrs().get(0);
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    for (MuSig2Sessions s : sessions) {
      if (s != null) {
        s.closeAsync();
      }
    }
    List<Thread> stops = new ArrayList<>();
    for (P2PCoordinator n : nodes) {
      Thread t = new Thread(n::close);
      t.start();
      stops.add(t);
    }
    for (Thread t : stops) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
