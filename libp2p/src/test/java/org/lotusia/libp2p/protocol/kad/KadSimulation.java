package org.lotusia.libp2p.protocol.kad;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.stack.SecureChannels;
import org.lotusia.libp2p.stack.Transports;

/**
 * A network of DHT server nodes on the in-memory transport, for the simulation test and bench: it
 * builds the network (each node dials one random earlier node, then all bootstrap), puts and gets
 * random keys, kills a share of the nodes, and measures success, hops (lookup rounds) and times.
 * Hosts use plaintext security and share one callback pool, so hundreds fit in one JVM; the DHT
 * logic is the same as on any transport.
 */
public final class KadSimulation implements AutoCloseable {

  /** What a batch of operations achieved. */
  public record Outcome(int attempted, int succeeded, List<Integer> hops, List<Long> millis) {
    /** Succeeded / attempted, 1.0 when nothing was attempted. */
    public double successRate() {
      return attempted == 0 ? 1.0 : succeeded / (double) attempted;
    }

    /** The {@code q}-quantile (0..1) of the hops. */
    public int hopsQuantile(double q) {
      return quantile(hops, q);
    }

    /** The {@code q}-quantile (0..1) of the times in ms. */
    public long millisQuantile(double q) {
      return quantile(millis, q);
    }

    private static <T extends Comparable<T>> T quantile(List<T> xs, double q) {
      List<T> s = new ArrayList<>(xs);
      Collections.sort(s);
      return s.get(Math.min(s.size() - 1, (int) Math.floor(q * s.size())));
    }
  }

  private final Random random;
  private final ExecutorService callbacks = Executors.newFixedThreadPool(8, daemon());
  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> nodes = new ArrayList<>();
  private final List<KadDht> live = new ArrayList<>();
  private final List<byte[]> keys = new ArrayList<>();

  /** A simulation whose random choices follow {@code seed}. */
  public KadSimulation(long seed) {
    this.random = new Random(seed);
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "sim-callbacks");
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts {@code n} nodes and joins them into one network with two bootstrap rounds. */
  public void start(int n) throws Exception {
    start(n, 2);
  }

  /**
   * Starts {@code n} nodes and joins them into one network: each dials a random earlier node, then
   * all bootstrap {@code rounds} times (a second round finds the nodes that joined after a node's
   * first one).
   */
  public void start(int n, int rounds) throws Exception {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Host h =
          new HostBuilder()
              .transports(Transports.memory())
              .security(SecureChannels.plaintext())
              .listen("/ip4/127.0.0.1/tcp/0")
              .eventLoopThreads(1)
              .callbackExecutor(callbacks)
              .build();
      h.start().get(30, TimeUnit.SECONDS);
      hosts.add(h);
      KadDht d =
          new KadDht(
              h,
              KadDhtConfig.builder()
                  .protocolId(KadDhtConfig.LOTUS_PROTOCOL)
                  .requestTimeout(Duration.ofSeconds(5))
                  .queryTimeout(Duration.ofSeconds(60))
                  .validator("sim", (k, v) -> {})
                  .build());
      d.start();
      nodes.add(d);
      if (i > 0) {
        KadDht known = nodes.get(random.nextInt(i));
        h.dial(known.host().listenAddresses().get(0)).get(30, TimeUnit.SECONDS);
      }
    }
    live.addAll(nodes);
    joinMillis = (System.nanoTime() - t0) / 1_000_000;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (nodes.stream().anyMatch(d -> d.routingTableSize() == 0)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("nodes without any DHT peer after 120 s");
      }
      Thread.sleep(20); // polling a simulation condition
    }
    for (int round = 0; round < rounds; round++) {
      runAll(nodes, KadDht::bootstrap, 16);
    }
    bootstrapMillis = (System.nanoTime() - t0) / 1_000_000 - joinMillis;
  }

  private long joinMillis;
  private long bootstrapMillis;

  /** Time the nodes took to start and dial, in ms. */
  public long joinMillis() {
    return joinMillis;
  }

  /** Time the bootstrap lookups took, in ms. */
  public long bootstrapMillis() {
    return bootstrapMillis;
  }

  /** Runs {@code op} on every node, at most {@code parallel} at a time; waits for all. */
  private static <T> void runAll(
      List<KadDht> on, Function<KadDht, CompletableFuture<T>> op, int parallel) throws Exception {
    Semaphore slots = new Semaphore(parallel);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (KadDht d : on) {
      slots.acquire();
      all.add(op.apply(d).whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((r, e) -> null)
        .get(10, TimeUnit.MINUTES);
  }

  public List<KadDht> nodes() {
    return List.copyOf(nodes);
  }

  public List<KadDht> live() {
    return List.copyOf(live);
  }

  /** Puts {@code count} random keys, each from a random live node; returns the put outcome. */
  public Outcome put(int count, int parallel) throws Exception {
    List<byte[]> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(("/sim/" + Long.toHexString(random.nextLong())).getBytes(StandardCharsets.UTF_8));
    }
    keys.addAll(batch);
    return run(batch, parallel, (d, key) -> measure(d, key, true));
  }

  /** Gets every key put so far, each from a random live node, stopping at the first value. */
  public Outcome getAll(int parallel) throws Exception {
    return run(keys, parallel, (d, key) -> measure(d, key, false));
  }

  /** Gets the keys that some live node still stores, each from a random live node. */
  public Outcome getStillStored(int parallel) throws Exception {
    List<byte[]> stored = new ArrayList<>();
    for (byte[] key : keys) {
      for (KadDht d : live) {
        if (KadInteropAccess.localValue(d, key).get(30, TimeUnit.SECONDS).isPresent()) {
          stored.add(key);
          break;
        }
      }
    }
    return run(stored, parallel, (d, key) -> measure(d, key, false));
  }

  private interface Op {
    CompletableFuture<Sample> run(KadDht on, byte[] key);
  }

  private record Sample(boolean ok, int hops, long millis) {}

  private Outcome run(List<byte[]> batch, int parallel, Op op) throws Exception {
    Semaphore slots = new Semaphore(parallel);
    List<CompletableFuture<Sample>> all = new ArrayList<>();
    for (byte[] key : batch) {
      KadDht on = live.get(random.nextInt(live.size()));
      slots.acquire();
      all.add(op.run(on, key).whenComplete((r, e) -> slots.release()));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .handle((r, e) -> null)
        .get(10, TimeUnit.MINUTES);
    int ok = 0;
    List<Integer> hops = new ArrayList<>();
    List<Long> millis = new ArrayList<>();
    for (CompletableFuture<Sample> f : all) {
      Sample s = f.handle((r, e) -> e == null ? r : new Sample(false, 0, 0)).join();
      if (s.ok()) {
        ok++;
        hops.add(s.hops());
        millis.add(s.millis());
      }
    }
    return new Outcome(batch.size(), ok, hops, millis);
  }

  private CompletableFuture<Sample> measure(KadDht on, byte[] key, boolean put) {
    CompletableFuture<QueryStats> stats = new CompletableFuture<>();
    QueryListener l =
        new QueryListener() {
          @Override
          public void finished(QueryStats s) {
            stats.complete(s);
          }
        };
    long start = System.nanoTime();
    CompletableFuture<Boolean> done =
        put
            ? on.put(key, key, PutOptions.DEFAULTS.withListener(l)).thenApply(p -> !p.isEmpty())
            : on.get(key, GetOptions.quorum(1).withListener(l))
                .thenApply(v -> v.isPresent() && java.util.Arrays.equals(v.get(), key));
    return done.thenCombine(
        stats,
        (ok, s) -> new Sample(ok, s.rounds(), (System.nanoTime() - start) / 1_000_000));
  }

  /** Closes a random {@code fraction} of the live nodes. */
  public void kill(double fraction) throws Exception {
    int n = (int) Math.round(live.size() * fraction);
    Collections.shuffle(live, random);
    for (KadDht d : List.copyOf(live.subList(0, n))) {
      d.close();
      d.host().closeAsync().get(30, TimeUnit.SECONDS);
      live.remove(d);
    }
  }

  @Override
  public void close() {
    for (KadDht d : nodes) {
      d.close();
    }
    for (Host h : hosts) {
      try {
        h.closeAsync().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // closing anyway
      }
    }
    callbacks.shutdownNow();
  }
}
