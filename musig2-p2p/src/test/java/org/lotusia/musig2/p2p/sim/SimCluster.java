package org.lotusia.musig2.p2p.sim;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.musig2.p2p.Broadcaster;
import org.lotusia.musig2.p2p.InMemorySessionStore;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;

/**
 * N signers on a {@link SimNetwork}: node i is peer {@code peer-i} with key i, its own manager and
 * store, an event log, and (by default) a listener that joins every discovered session listing
 * its key, as a wallet that agreed beforehand would.
 */
public final class SimCluster {

  public final SimNetwork net;
  public final List<PrivateKey> keys = new ArrayList<>();
  public final List<byte[]> publicKeys = new ArrayList<>();
  public final List<SimNetwork.Node> nodes = new ArrayList<>();
  public final List<SessionManager> managers = new ArrayList<>();
  public final List<InMemorySessionStore> stores = new ArrayList<>();
  public final List<List<SessionEvent>> events = new ArrayList<>();
  private final List<Map<String, SessionHandle>> handles = new ArrayList<>();
  private final SessionConfig config;
  private final long seed;
  private final java.util.function.IntFunction<Broadcaster> broadcasters;
  private boolean autoJoin = true;
  private final boolean subscribe;

  public SimCluster(int n, long seed, SessionConfig config) {
    this(n, seed, config, i -> Broadcaster.NONE);
  }

  /** A cluster whose node i finalises with {@code broadcasters.apply(i)}. */
  public SimCluster(
      int n, long seed, SessionConfig config, java.util.function.IntFunction<Broadcaster> broadcasters) {
    this(n, seed, config, broadcasters, true);
  }

  /**
   * A cluster whose node i finalises with {@code broadcasters.apply(i)}; with {@code subscribe}
   * false no node listens to the announcement topic (sessions are then joined by hand).
   */
  public SimCluster(
      int n,
      long seed,
      SessionConfig config,
      java.util.function.IntFunction<Broadcaster> broadcasters,
      boolean subscribe) {
    this.subscribe = subscribe;
    this.net = new SimNetwork(seed);
    this.config = config;
    this.seed = seed;
    this.broadcasters = broadcasters;
    Random rnd = new Random(seed * 31 + 7);
    for (int i = 0; i < n; i++) {
      BigInteger d;
      do {
        d = new BigInteger(256, rnd);
      } while (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0);
      PrivateKey k = PrivateKey.of(d);
      keys.add(k);
      publicKeys.add(k.publicKeyBytes());
    }
    for (int i = 0; i < n; i++) {
      events.add(new ArrayList<>());
      handles.add(new HashMap<>());
      stores.add(new InMemorySessionStore());
      managers.add(null);
      nodes.add(null);
      start(i);
    }
  }

  public SimCluster(int n, long seed) {
    this(n, seed, SessionConfig.defaults());
  }

  public int size() {
    return keys.size();
  }

  /** Turns the auto-join listener off (for tests that join by hand or not at all). */
  public SimCluster manualJoin() {
    this.autoJoin = false;
    return this;
  }

  public static String peer(int i) {
    return "peer-" + i;
  }

  /** Starts (or restarts, replacing the old node) node i with its store kept. */
  public SessionManager start(int i) {
    SimNetwork.Node node = net.node(peer(i));
    SessionManager m =
        net.managerBuilder(node)
            .config(config)
            .store(stores.get(i))
            .broadcaster(broadcasters.apply(i))
            .random(seeded(seed * 1000 + i + 17L * events.get(i).size()))
            .listener(e -> onEvent(i, e))
            .build();
    node.attach(m);
    nodes.set(i, node);
    managers.set(i, m);
    if (subscribe) {
      m.discoverSessions();
    }
    return m;
  }

  private static SecureRandom seeded(long s) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(s);
      return r;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void onEvent(int i, SessionEvent e) {
    events.get(i).add(e);
    if (autoJoin && e instanceof SessionEvent.SessionDiscovered d
        && d.announcement().indexOf(publicKeys.get(i)) >= 0) {
      managers.get(i).join(d.announcement(), keys.get(i)).thenAccept(h -> handles.get(i).put(h.sessionId(), h));
    }
  }

  /** Node {@code creator} creates a session of every key of the cluster. */
  public SessionHandle create(int creator, byte[] message, SessionOptions options) {
    return create(creator, publicKeys, message, options);
  }

  /** Node {@code creator} creates a session of the given keys; runs until it is announced. */
  public SessionHandle create(
      int creator, List<byte[]> signerKeys, byte[] message, SessionOptions options) {
    CompletableFuture<SessionHandle> f =
        managers.get(creator).create(signerKeys, keys.get(creator), message, options);
    net.time().runUntil(f::isDone, Duration.ofSeconds(5));
    SessionHandle h = f.join();
    handles.get(creator).put(h.sessionId(), h);
    return h;
  }

  /** Node i's handle of a session, or null if it has none. */
  public SessionHandle handle(int i, String sessionId) {
    return handles.get(i).get(sessionId);
  }

  /** Records a handle obtained by hand. */
  public void putHandle(int i, SessionHandle h) {
    handles.get(i).put(h.sessionId(), h);
  }

  /** The result futures of every node that holds a handle of the session. */
  public List<CompletableFuture<SessionResult>> results(String sessionId) {
    List<CompletableFuture<SessionResult>> out = new ArrayList<>();
    for (Map<String, SessionHandle> m : handles) {
      SessionHandle h = m.get(sessionId);
      if (h != null) {
        out.add(h.result());
      }
    }
    return out;
  }

  /** Runs until each of the given nodes has a finished result for the session. */
  public boolean runUntilFinished(String sessionId, List<Integer> nodesToWait, Duration max) {
    return net.time().runUntil(
        () -> {
          for (int i : nodesToWait) {
            SessionHandle h = handles.get(i).get(sessionId);
            if (h == null || !h.result().isDone()) {
              return false;
            }
          }
          return true;
        },
        max);
  }

  /** Runs until every node has a finished result for the session. */
  public boolean runUntilAllFinished(String sessionId, Duration max) {
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      all.add(i);
    }
    return runUntilFinished(sessionId, all, max);
  }

  /** Events of node i of a type. */
  public <T extends SessionEvent> List<T> events(int i, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (SessionEvent e : events.get(i)) {
      if (type.isInstance(e)) {
        out.add(type.cast(e));
      }
    }
    return out;
  }

  /** Runs an action on every node index. */
  public void forEach(Consumer<Integer> action) {
    for (int i = 0; i < size(); i++) {
      action.accept(i);
    }
  }

  /** The node index holding signer index {@code signerIndex} of a session. */
  public int nodeOfSigner(org.lotusia.musig2.p2p.wire.SessionAnnouncement a, int signerIndex) {
    byte[] k = a.signer(signerIndex);
    for (int i = 0; i < size(); i++) {
      if (java.util.Arrays.equals(publicKeys.get(i), k)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no node holds signer " + signerIndex);
  }
}
