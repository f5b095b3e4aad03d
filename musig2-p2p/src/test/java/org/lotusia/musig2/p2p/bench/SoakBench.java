package org.lotusia.musig2.p2p.bench;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.musig2.p2p.SessionAbortedException;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.SessionHandle;
import org.lotusia.musig2.p2p.SessionOptions;
import org.lotusia.musig2.p2p.net.MuSig2Sessions;
import org.lotusia.p2p.coordinator.P2PConfig;

/**
 * Soak: n coordinators on loopback TCP in this JVM, with churn, steady traffic and MuSig2
 * sessions, for a long time; checks that the process's resources stay flat.
 *
 * <ul>
 *   <li>Network: every node has a fixed identity and port and bootstraps from the first three
 *       nodes (not itself), so a node that left comes back as the same peer on the same address.
 *   <li>Churn: every {@code soak.churnSeconds} a random live node that is in no session stops,
 *       and the node that has been down longest starts again once {@code soak.down} nodes are
 *       down, reconnecting through the bootstrap peers.
 *   <li>Traffic ({@link SoakTraffic}): direct messages, topic publishes and DHT announce-then-
 *       discover at fixed rates; delivery rates leave out items whose sender or receiver left.
 *   <li>Sessions: every {@code soak.sessionSeconds} an m-of-m MuSig2 session among nodes up for
 *       15 s and in no other session; churn leaves them alone until the session ends.
 *   <li>Every {@code soak.sampleSeconds}: heap after GC, threads, file descriptors, Netty
 *       allocators, JVM direct pool ({@link SoakSampler}); at the end the first and last 5 minutes
 *       side by side with a verdict.
 * </ul>
 *
 * <p>Properties (defaults): {@code soak.minutes} (30), {@code soak.nodes} (20), {@code
 * soak.churnSeconds} (5), {@code soak.down} (1), {@code soak.sessionSeconds} (10), {@code
 * soak.signers} (3), {@code soak.sampleSeconds} (30), {@code soak.windowMinutes} (5), {@code
 * soak.directPerSecond} (5), {@code soak.topicPerSecond} (1), {@code soak.dhtPerSecond} (0.5).
 *
 * <p>Run: {@code JAVA_OPTS=-Dsoak.minutes=2 scripts/bench musig2-p2p
 * org.lotusia.musig2.p2p.bench.SoakBench}. Netty's leak detection stays at its default (simple,
 * sampled); every {@code LEAK:} line written to stderr is counted and reported.
 */
public final class SoakBench {

  private SoakBench() {}

  private static final AtomicLong LEAK_LINES = new AtomicLong();

  public static void main(String[] args) throws Exception {
    System.setErr(new PrintStream(new LeakCounter(System.err), true, StandardCharsets.UTF_8));
    double minutes = Double.parseDouble(System.getProperty("soak.minutes", "30"));
    int n = Integer.getInteger("soak.nodes", 20);
    int churnS = Integer.getInteger("soak.churnSeconds", 5);
    int down = Integer.getInteger("soak.down", 1);
    int sessionS = Integer.getInteger("soak.sessionSeconds", 10);
    int signers = Integer.getInteger("soak.signers", 3);
    int sampleS = Integer.getInteger("soak.sampleSeconds", 30);
    double windowMin = Double.parseDouble(System.getProperty("soak.windowMinutes", "5"));
    double directPerS = Double.parseDouble(System.getProperty("soak.directPerSecond", "5"));
    double topicPerS = Double.parseDouble(System.getProperty("soak.topicPerSecond", "1"));
    double dhtPerS = Double.parseDouble(System.getProperty("soak.dhtPerSecond", "0.5"));
    System.out.printf("# SoakBench java=%s vm=%s cpus=%d minutes=%s nodes=%d churn=%ds down=%d"
            + " session=%ds signers=%d direct/s=%s topic/s=%s dht/s=%s leakDetection=%s"
            + " allocator=%s%n",
        System.getProperty("java.version"), System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(), minutes, n, churnS, down, sessionS, signers,
        directPerS, topicPerS, dhtPerS,
        io.netty.util.ResourceLeakDetector.getLevel(),
        io.netty.buffer.ByteBufAllocator.DEFAULT.getClass().getSimpleName());

    SessionConfig sessionConfig = SessionConfig.builder()
        // every node hears every announcement: keep enough for a session every few seconds
        .maxDiscovered(1024, 64)
        // the signers agreed beforehand and join within seconds: a missing one is named soon
        .joinTimeout(Duration.ofSeconds(60))
        .build();
    SoakTraffic[] traffic = new SoakTraffic[1];
    List<SoakNode> nodes = new ArrayList<>();
    Sessions sessions = new Sessions(nodes, signers);
    build(n, sessionConfig, nodes, traffic, sessions);
    long t0 = System.nanoTime();
    List<CompletableFuture<Void>> starts = new ArrayList<>();
    for (SoakNode node : nodes) {
      starts.add(CompletableFuture.runAsync(() -> {
        try {
          node.start();
        } catch (Exception e) {
          throw new IllegalStateException("node " + node.index + " did not start", e);
        }
      }));
    }
    CompletableFuture.allOf(starts.toArray(new CompletableFuture<?>[0])).get(5, TimeUnit.MINUTES);
    System.out.printf("# %d nodes started in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);

    SoakSampler sampler = new SoakSampler();
    ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "soak-timer");
      t.setDaemon(true);
      return t;
    });
    ScheduledExecutorService churner = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "soak-churn");
      t.setDaemon(true);
      return t;
    });
    Churn churn = new Churn(nodes, down);
    long start = System.nanoTime();
    double total = minutes * 60;
    System.out.println(SoakSampler.header());
    System.out.println(SoakSampler.line(sampler.sample(0)));
    traffic[0].schedule(timer, directPerS, topicPerS, dhtPerS);
    timer.scheduleAtFixedRate(SoakTraffic.guard(sessions::startOne), sessionS, sessionS,
        TimeUnit.SECONDS);
    churner.scheduleWithFixedDelay(SoakTraffic.guard(churn::step), churnS, churnS,
        TimeUnit.SECONDS);
    long end = start + (long) (total * 1e9);
    long next = start + TimeUnit.SECONDS.toNanos(sampleS);
    while (next <= end) {
      TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
      SoakSampler.Sample s = sampler.sample((System.nanoTime() - start) / 1e9);
      System.out.println(SoakSampler.line(s) + "\t# live=" + live(nodes) + " " + progress(
          traffic[0], sessions, churn));
      next += TimeUnit.SECONDS.toNanos(sampleS);
    }
    churner.shutdown();
    timer.shutdown();
    churner.awaitTermination(2, TimeUnit.MINUTES);
    timer.awaitTermination(1, TimeUnit.MINUTES);
    // let the last items arrive, then settle everything
    TimeUnit.SECONDS.sleep(SoakTraffic.SETTLE.toSeconds());
    traffic[0].settle(true);
    sessions.awaitAll(Duration.ofMinutes(5));

    StringBuilder out = new StringBuilder();
    sampler.report(total, Math.min(windowMin * 60, total / 2), out);
    System.out.print(out);
    System.out.println("# churn: " + churn.summary());
    System.out.println("direct\t" + traffic[0].direct.summary());
    System.out.println("topic\t" + traffic[0].topic.summary());
    System.out.println("dht\t" + traffic[0].dht.summary());
    System.out.println("sessions\t" + sessions.summary());
    System.out.println("LEAK lines: " + LEAK_LINES.get());
    List<Thread> stops = new ArrayList<>();
    for (SoakNode node : nodes) {
      Thread t = new Thread(node.node::close);
      t.start();
      stops.add(t);
    }
    for (Thread t : stops) {
      t.join(30_000);
    }
    System.exit(0);
  }

  private static void build(int n, SessionConfig sessionConfig, List<SoakNode> nodes,
      SoakTraffic[] traffic, Sessions sessions) throws IOException {
    Random rnd = new Random(20);
    int[] ports = new int[n];
    List<org.lotusia.libp2p.crypto.IdentityPrivateKey> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      try (ServerSocket s = new ServerSocket(0)) {
        ports[i] = s.getLocalPort();
      }
      byte[] seed = new byte[32];
      rnd.nextBytes(seed);
      ids.add(Keys.ed25519FromSeed(seed));
    }
    List<String> bootstrap = new ArrayList<>();
    for (int i = 0; i < Math.min(3, n); i++) {
      bootstrap.add("/ip4/127.0.0.1/tcp/" + ports[i] + "/p2p/"
          + PeerId.fromPublicKey(ids.get(i).publicKey()).toBase58());
    }
    traffic[0] = new SoakTraffic(nodes);
    for (int i = 0; i < n; i++) {
      BigInteger d;
      do {
        d = new BigInteger(256, rnd);
      } while (d.signum() == 0 || d.compareTo(Secp256k1.N) >= 0);
      int self = i;
      P2PConfig config = P2PConfig.builder()
          .identity(ids.get(i))
          .listen("/ip4/127.0.0.1/tcp/" + ports[i])
          .bootstrapPeers(bootstrap.stream().filter(a -> !a.endsWith(
              PeerId.fromPublicKey(ids.get(self).publicKey()).toBase58())).toArray(String[]::new))
          .dhtServer(true)
          .discoverTimeout(Duration.ofSeconds(10))
          .dialTimeout(Duration.ofSeconds(20))
          .callbackThreads(2)
          .build();
      nodes.add(new SoakNode(i, PeerId.fromPublicKey(ids.get(i).publicKey()).toBase58(), config, PrivateKey.of(d), sessionConfig,
          (at, m) -> traffic[0].onDirect(at, m),
          (at, m) -> traffic[0].onTopic(at, m),
          sessions::onDiscovered));
    }
  }

  private static long live(List<SoakNode> nodes) {
    return nodes.stream().filter(SoakNode::live).count();
  }

  private static String progress(SoakTraffic t, Sessions s, Churn c) {
    return String.format("direct %d/%d topic %d/%d dht %d/%d sessions %d/%d churns %d",
        t.direct.delivered.get(), t.direct.sent.get(), t.topic.delivered.get(),
        t.topic.sent.get(), t.dht.delivered.get(), t.dht.sent.get(), s.completed.get(),
        s.started.get(), c.steps);
  }

  /** Stops a random idle live node each step, and starts the longest-down one. */
  static final class Churn {
    private final List<SoakNode> nodes;
    private final int down;
    private final Deque<SoakNode> stopped = new ArrayDeque<>();
    private final Random rnd = new Random(5);
    private final Map<Integer, Integer> leftCount = new ConcurrentHashMap<>();
    volatile long steps;
    private long failures;

    Churn(List<SoakNode> nodes, int down) {
      this.nodes = nodes;
      this.down = down;
    }

    void step() {
      List<SoakNode> idle = new ArrayList<>(
          nodes.stream().filter(n -> n.live() && !n.busy.get()).toList());
      if (!idle.isEmpty()) {
        SoakNode leaving = idle.get(rnd.nextInt(idle.size()));
        // claimed so that no session picks it while it stops
        if (leaving.busy.compareAndSet(false, true)) {
          try {
            leaving.stop();
            stopped.addLast(leaving);
            leftCount.merge(leaving.index, 1, Integer::sum);
          } catch (Exception e) {
            failures++;
            System.out.println("# node " + leaving.index + " did not stop: " + e);
          } finally {
            leaving.busy.set(false);
          }
        }
      }
      if (stopped.size() > down) {
        SoakNode joining = stopped.pollFirst();
        try {
          joining.start();
        } catch (Exception e) {
          failures++;
          System.out.println("# node " + joining.index + " did not start: " + e);
          stopped.addLast(joining);
        }
      }
      steps++;
    }

    String summary() {
      List<Integer> counts = new ArrayList<>(leftCount.values());
      Collections.sort(counts);
      return String.format("steps=%d distinct_nodes_left=%d times_left_min=%s max=%s failures=%d",
          steps, leftCount.size(), counts.isEmpty() ? "-" : counts.get(0),
          counts.isEmpty() ? "-" : counts.get(counts.size() - 1), failures);
    }
  }

  /** Starts the periodic sessions and counts their outcomes. */
  static final class Sessions {
    private final List<SoakNode> nodes;
    private final int signers;
    final AtomicLong started = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong skipped = new AtomicLong();
    final AtomicLong durationNanos = new AtomicLong();
    final Map<String, AtomicLong> aborted = new ConcurrentHashMap<>();
    private final Set<CompletableFuture<?>> running = ConcurrentHashMap.newKeySet();
    private final Random rnd = new Random(3);

    Sessions(List<SoakNode> nodes, int signers) {
      this.nodes = nodes;
      this.signers = signers;
    }

    /** A node listed in a discovered session joins it (as a wallet that agreed beforehand). */
    void onDiscovered(SoakNode node, SessionEvent.SessionDiscovered d) {
      MuSig2Sessions s = node.sessions();
      if (s != null) {
        s.join(d.announcement(), null);
      }
    }

    void startOne() {
      List<SoakNode> ok = new ArrayList<>(
          nodes.stream().filter(n -> n.upFor(SoakTraffic.WARM) && !n.busy.get()).toList());
      Collections.shuffle(ok, rnd);
      List<SoakNode> picked = new ArrayList<>();
      for (SoakNode n : ok) {
        if (picked.size() < signers && n.busy.compareAndSet(false, true)) {
          if (n.live()) {
            picked.add(n);
          } else {
            n.busy.set(false);
          }
        }
      }
      if (picked.size() < signers) {
        picked.forEach(n -> n.busy.set(false));
        skipped.incrementAndGet();
        return;
      }
      started.incrementAndGet();
      byte[] msg = new byte[32];
      synchronized (rnd) {
        rnd.nextBytes(msg);
      }
      long t0 = System.nanoTime();
      SoakNode creator = picked.get(0);
      MuSig2Sessions s = creator.sessions();
      CompletableFuture<SessionHandle> created;
      try {
        created = s == null
            ? CompletableFuture.failedFuture(new IllegalStateException("creator stopped"))
            : s.create(picked.stream().map(p -> p.signerPub).toList(), msg,
                SessionOptions.defaults());
      } catch (RuntimeException e) {
        created = CompletableFuture.failedFuture(e);
      }
      CompletableFuture<?> done = created
          .thenCompose(SessionHandle::result)
          .orTimeout(5, TimeUnit.MINUTES) // past every phase timeout: the SDK must end it first
          .whenComplete((r, e) -> {
            if (e == null) {
              completed.incrementAndGet();
              durationNanos.addAndGet(System.nanoTime() - t0);
            } else {
              aborted.computeIfAbsent(abortReason(e), k -> new AtomicLong()).incrementAndGet();
            }
            picked.forEach(n -> n.busy.set(false));
          });
      running.add(done);
      done.whenComplete((r, e) -> running.remove(done));
    }

    private static String abortReason(Throwable e) {
      Throwable c = e;
      while (c.getCause() != null && !(c instanceof SessionAbortedException)) {
        c = c.getCause();
      }
      if (c instanceof SessionAbortedException a) {
        return a.reason().code() + ": " + a.reason().message().replaceAll("[0-9]+", "#");
      }
      return SoakTraffic.reason(e);
    }

    void awaitAll(Duration d) {
      try {
        CompletableFuture.allOf(running.toArray(new CompletableFuture<?>[0]))
            .get(d.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        System.out.println("# sessions still running at the end: " + running.size());
      }
    }

    String summary() {
      long done = completed.get();
      long failed = aborted.values().stream().mapToLong(AtomicLong::get).sum();
      return String.format("started=%d completed=%d aborted=%d success_rate=%.4f"
              + " mean_duration_ms=%.0f skipped_no_idle_signers=%d aborts=%s",
          started.get(), done, failed, done + failed == 0 ? Double.NaN
              : (double) done / (done + failed),
          done == 0 ? 0 : durationNanos.get() / 1e6 / done, skipped.get(), aborted);
    }
  }

  /** Passes stderr through and counts the lines that carry a Netty {@code LEAK:} report. */
  private static final class LeakCounter extends FilterOutputStream {
    private final StringBuilder line = new StringBuilder();

    LeakCounter(OutputStream out) {
      super(out);
    }

    @Override
    public synchronized void write(int b) throws IOException {
      out.write(b);
      if (b == '\n') {
        if (line.indexOf("LEAK:") >= 0) {
          LEAK_LINES.incrementAndGet();
        }
        line.setLength(0);
      } else if (line.length() < 4096) {
        line.append((char) b);
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }
  }
}
