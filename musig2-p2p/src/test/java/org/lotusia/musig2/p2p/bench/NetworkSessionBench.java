package org.lotusia.musig2.p2p.bench;

import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.SessionResult;
import org.lotusia.musig2.p2p.net.MuSig2Sessions;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.security.SecurityLimits;

/**
 * Whole MuSig2 sessions among P2P coordinators on loopback TCP (Noise, Yamux, one stream per
 * message as lotus-sdk frames them, GossipSub announcements), every node in this JVM.
 *
 * <p>1. Wall time of one n-of-n session, from {@code create} on node 0 to every node's result:
 * the announcement on the topic, n−1 joins, the participant list, both rounds between every pair,
 * the finalisation. Median of the runs after one warm-up session on the same nodes, next to the
 * computation alone ({@link SessionBench#session}, the same n on the in-memory network). All n
 * nodes share this machine's cores, so the figure is the sum of every signer's work, as if all
 * signers shared one computer.
 *
 * <p>2. Sessions per second one node coordinates: node 0 creates k 2-of-2 sessions at once, with
 * partners taken in turn from p other nodes, and the time runs until every result is in. The
 * nodes' security limits on message rates are raised for this (each session costs each partner
 * about four messages a second from the creator); DHT announcements are off (storing peers would
 * count every session against the creator's per-type quota).
 *
 * <p>Run: {@code scripts/bench musig2-p2p org.lotusia.musig2.p2p.bench.NetworkSessionBench [runs]
 * [n,n,...] [k] [p]} (defaults 5, 2,10,50, 200 and 4).
 */
public final class NetworkSessionBench {

  private NetworkSessionBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
            : new int[] {2, 10, 50};
    int k = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int partners = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    System.out.printf(
        "# NetworkSessionBench java=%s vm=%s cpus=%d provider=%s runs=%d%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        Secp256k1.defaultProvider().getClass().getSimpleName(),
        runs);
    System.out.println("# whole session on loopback, all nodes in this JVM");
    System.out.println("n\twall_ms_median\twall_ms_min\tcomputation_alone_ms_median");
    for (int n : sizes) {
      long[] wall = new long[runs];
      try (Cluster c = new Cluster(n, SessionConfig.builder().maxSigners(Math.max(2, n)).build())) {
        c.session(0); // warm-up: JIT, connections' first streams
        for (int r = 0; r < runs; r++) {
          wall[r] = c.session(r + 1);
        }
      }
      long[] alone = new long[runs];
      SessionBench.session(n, 1);
      for (int r = 0; r < runs; r++) {
        alone[r] = SessionBench.session(n, 200 + r)[0];
      }
      Arrays.sort(wall);
      Arrays.sort(alone);
      System.out.printf("%d\t%.1f\t%.1f\t%.1f%n", n, wall[runs / 2] / 1e6, wall[0] / 1e6,
          alone[runs / 2] / 1e6);
    }
    System.out.println("# one node coordinating k concurrent 2-of-2 sessions with p partners");
    System.out.println("k\tp\twall_ms\tsessions_per_s");
    SessionConfig many = SessionConfig.builder().maxSessions(k + 1).maxSessionsPerPeer(k + 1).build();
    try (Cluster c = new Cluster(partners + 1, many)) {
      c.throughput(Math.max(10, k / 10), partners); // warm-up
      for (int r = 0; r < Math.max(1, runs / 2); r++) {
        long ns = c.throughput(k, partners);
        System.out.printf("%d\t%d\t%.1f\t%.1f%n", k, partners, ns / 1e6, k / (ns / 1e9));
      }
    }
  }

  /** n coordinators, fully connected, each with its sessions; every node joins what lists it. */
  static final class Cluster implements AutoCloseable {
    final List<P2PCoordinator> nodes = new ArrayList<>();
    final List<PrivateKey> keys = new ArrayList<>();
    final List<byte[]> pubs = new ArrayList<>();
    final List<MuSig2Sessions> sessions = new ArrayList<>();
    final ConcurrentHashMap<String, List<CompletableFuture<SessionResult>>> results =
        new ConcurrentHashMap<>();

    Cluster(int n, SessionConfig config) throws Exception {
      Random rnd = new Random(n);
      SecurityLimits limits =
          SecurityLimits.builder()
              .messageRatePerSecond(100_000)
              .messageBurst(100_000)
              .topicMessageRatePerSecond(100_000)
              .topicMessageBurst(100_000)
              .build();
      List<CompletableFuture<Void>> starts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        keys.add(PrivateKey.of(new BigInteger(250, rnd).add(BigInteger.ONE)));
        pubs.add(keys.get(i).publicKeyBytes());
        P2PCoordinator node =
            new P2PCoordinator(
                P2PConfig.builder()
                    .listen("/ip4/127.0.0.1/tcp/0")
                    .dhtServer(true)
                    .maxConnections(256)
                    .dialTimeout(Duration.ofSeconds(60))
                    .securityLimits(limits)
                    .callbackThreads(2)
                    .build());
        nodes.add(node);
        starts.add(node.start());
      }
      for (CompletableFuture<Void> s : starts) {
        s.get(2, TimeUnit.MINUTES);
      }
      List<CompletableFuture<?>> dials = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          dials.add(nodes.get(i).connectToPeer(nodes.get(j).getStats().multiaddrs().get(0)));
          if (dials.size() == 16) {
            for (CompletableFuture<?> d : dials) {
              d.get(2, TimeUnit.MINUTES);
            }
            dials.clear();
          }
        }
      }
      for (CompletableFuture<?> d : dials) {
        d.get(2, TimeUnit.MINUTES);
      }
      for (int i = 0; i < n; i++) {
        int node = i;
        sessions.add(
            MuSig2Sessions.builder(nodes.get(i), keys.get(i))
                .config(config)
                .dhtAnnouncements(false)
                .listener(
                    e -> {
                      if (e instanceof SessionEvent.SessionDiscovered d
                          && d.announcement().indexOf(pubs.get(node)) >= 0) {
                        sessions.get(node)
                            .join(d.announcement(), null)
                            .thenAccept(h -> add(h.sessionId(), h.result()));
                      }
                    })
                .build());
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      for (int i = 0; i < n; i++) {
        while (nodes.get(i).getTopicPeers(SessionAnnouncement.TOPIC).size() < n - 1) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("node " + i + " does not see every topic peer");
          }
          Thread.sleep(10);
        }
      }
    }

    /** Participants expected per session of the current measurement. */
    volatile int expected;
    final ConcurrentHashMap<String, CompletableFuture<Void>> allIn = new ConcurrentHashMap<>();

    List<CompletableFuture<SessionResult>> resultsOf(String id) {
      return results.computeIfAbsent(id, x -> new java.util.concurrent.CopyOnWriteArrayList<>());
    }

    private void add(String id, CompletableFuture<SessionResult> result) {
      List<CompletableFuture<SessionResult>> list = resultsOf(id);
      list.add(result);
      if (list.size() == expected) {
        CompletableFuture.allOf(list.toArray(new CompletableFuture<?>[0]))
            .whenComplete((v, e) -> allIn.computeIfAbsent(id, x -> new CompletableFuture<>())
                .complete(null));
      }
    }

    /** One session over every key, created by node 0; returns its wall time in ns. */
    long session(int seed) throws Exception {
      byte[] msg = new byte[32];
      msg[0] = (byte) seed;
      msg[1] = (byte) (seed >> 8);
      expected = nodes.size();
      long t0 = System.nanoTime();
      SessionHandle h = sessions.get(0).create(pubs, msg, SessionOptions.defaults()).get();
      add(h.sessionId(), h.result());
      awaitResults(h.sessionId());
      return System.nanoTime() - t0;
    }

    /** k 2-of-2 sessions at once between node 0 and its partners; returns the wall time in ns. */
    long throughput(int k, int partners) throws Exception {
      expected = 2;
      long t0 = System.nanoTime();
      List<CompletableFuture<SessionHandle>> created = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        byte[] msg = new byte[32];
        new Random(t0 + i).nextBytes(msg);
        int partner = 1 + i % partners;
        created.add(sessions.get(0).create(List.of(pubs.get(0), pubs.get(partner)), msg,
            SessionOptions.defaults()));
      }
      for (CompletableFuture<SessionHandle> f : created) {
        SessionHandle h = f.get(2, TimeUnit.MINUTES);
        add(h.sessionId(), h.result());
      }
      for (CompletableFuture<SessionHandle> f : created) {
        awaitResults(f.get().sessionId());
      }
      return System.nanoTime() - t0;
    }

    private void awaitResults(String id) throws Exception {
      allIn.computeIfAbsent(id, x -> new CompletableFuture<>()).get(5, TimeUnit.MINUTES);
      for (CompletableFuture<SessionResult> r : resultsOf(id)) {
        r.get(); // a failed session fails the run
      }
    }

    @Override
    public void close() {
      for (MuSig2Sessions s : sessions) {
        s.closeAsync();
      }
      for (P2PCoordinator n : nodes) {
        n.close();
      }
    }
  }
}
