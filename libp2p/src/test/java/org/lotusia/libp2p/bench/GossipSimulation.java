package org.lotusia.libp2p.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.libp2p.protocol.pubsub.GossipSubConfig;
import org.lotusia.libp2p.protocol.pubsub.GossipSubStats;
import org.lotusia.libp2p.protocol.pubsub.TopicValidationResult;
import org.lotusia.libp2p.stack.Transports;

/**
 * A GossipSub network of real hosts on the in-memory transport (Noise, Yamux, identify, the whole
 * stack), one topic, messages from random publishers at a fixed rate. Optionally some nodes are
 * killed half-way, and some nodes spam messages that every honest validator rejects. Measures what
 * a user of the network would: delivery to the live honest nodes, latency from publish to each
 * handler, duplicates and bytes sent per delivered message, and whether the spammers end up
 * graylisted by their honest neighbours.
 *
 * <p>Used by {@code GossipSimulationBench} (full size) and {@code GossipSimulationTest} (CI size).
 */
public final class GossipSimulation {

  /**
   * The size of a run.
   *
   * @param nodes hosts in the network
   * @param dialsPerNode random peers each node dials (so each has about twice as many connections)
   * @param messages honest messages published, each by a random live honest node
   * @param messageBytes payload size
   * @param publishesPerSecond publish rate of the honest messages
   * @param killFraction nodes closed when half the messages are out
   * @param spamFraction nodes that publish spam all along
   * @param spamPerSecondPerSpammer spam rate of each spammer
   * @param heartbeat the heartbeat interval of every node
   * @param settle how long to wait after the last publish for deliveries to complete
   * @param seed the seed of the topology and of the choices of publishers
   */
  public record Params(
      int nodes,
      int dialsPerNode,
      int messages,
      int messageBytes,
      int publishesPerSecond,
      double killFraction,
      double spamFraction,
      int spamPerSecondPerSpammer,
      Duration heartbeat,
      Duration settle,
      long seed) {

    /** A copy in which {@code fraction} of the honest nodes are killed half-way. */
    public Params withKill(double fraction) {
      return new Params(
          nodes,
          dialsPerNode,
          messages,
          messageBytes,
          publishesPerSecond,
          fraction,
          spamFraction,
          spamPerSecondPerSpammer,
          heartbeat,
          settle,
          seed);
    }

    /** A copy in which {@code fraction} of the nodes spam messages honest validators reject. */
    public Params withSpam(double fraction) {
      return new Params(
          nodes,
          dialsPerNode,
          messages,
          messageBytes,
          publishesPerSecond,
          killFraction,
          fraction,
          spamPerSecondPerSpammer,
          heartbeat,
          settle,
          seed);
    }
  }

  /**
   * What a run measured. Latencies run from the publish call to the handler; the link delay is the
   * latency of deliveries straight from the publisher (one hop through both stacks).
   */
  public record Result(
      int liveHonestNodes,
      long expectedDeliveries,
      long deliveries,
      double deliveryRate,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      double linkDelayMillis,
      double linkDelayP99Millis,
      double duplicatesPerDelivery,
      double bytesSentPerDelivery,
      long appDuplicates,
      int spammers,
      int spammerNeighbourPairs,
      int graylistedPairs,
      long spamInvalid,
      long spamGraylistedRpcs,
      long droppedOutbound,
      long droppedInbound,
      long validationDropped,
      long droppedDeliveries,
      double seconds) {

    /** One line per figure. */
    public String describe() {
      return String.format(
          Locale.ROOT,
          "live honest nodes %d%ndelivered %d of %d (%.4f %%)%nlatency p50 %.1f ms, p99 %.1f ms,"
              + " max %.1f ms; one hop (link delay) p50 %.1f ms, p99 %.1f ms%nduplicates per"
              + " delivered message %.2f%nbytes sent per delivered message %.0f%nmessages handed"
              + " twice to a handler %d%nspammers %d, graylisted by %d of %d honest neighbours;"
              + " spam rejected %d, spam RPCs ignored as graylisted %d%ndropped: outbound RPCs %d,"
              + " inbound RPCs %d, unvalidated %d, undelivered %d%nrun time %.1f s%n",
          liveHonestNodes,
          deliveries,
          expectedDeliveries,
          100.0 * deliveryRate,
          p50Millis,
          p99Millis,
          maxMillis,
          linkDelayMillis,
          linkDelayP99Millis,
          duplicatesPerDelivery,
          bytesSentPerDelivery,
          appDuplicates,
          spammers,
          graylistedPairs,
          spammerNeighbourPairs,
          spamInvalid,
          spamGraylistedRpcs,
          droppedOutbound,
          droppedInbound,
          validationDropped,
          droppedDeliveries,
          seconds);
    }
  }

  private static final String TOPIC = "lotus/sim";
  private static final byte SPAM = 'S';
  private static final byte HONEST = 'H';

  private final Params p;
  private final Random random;
  private final List<Host> hosts = new ArrayList<>();
  private final List<GossipSub> nodes = new ArrayList<>();
  private final Set<Integer> spammers = new HashSet<>();
  private final Set<Integer> killed = ConcurrentHashMap.newKeySet();
  private final int[] publisher;
  private final AtomicLongArray[] latencyMicros;
  private final AtomicInteger appDuplicates = new AtomicInteger();
  // latencies of deliveries straight from the publisher: the link delay of this network
  private final java.util.Queue<Long> oneHopMicros =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  // one pool of daemon threads for every run in this JVM: hosts may still hand it close events
  // after
  // their close future completed, so it is never shut down
  private static final ExecutorService CALLBACKS =
      Executors.newFixedThreadPool(4, daemon("sim-callbacks"));
  private final ExecutorService callbacks = CALLBACKS;

  /** A simulation of {@code params}; {@link #run()} runs it once. */
  public GossipSimulation(Params params) {
    this.p = params;
    this.random = new Random(params.seed());
    this.publisher = new int[params.messages()];
    this.latencyMicros = new AtomicLongArray[params.nodes()];
  }

  /** Builds the network, runs it, tears it down. */
  public Result run() throws Exception {
    long start = System.nanoTime();
    try {
      build();
      return drive(start);
    } finally {
      for (GossipSub g : nodes) {
        g.close();
      }
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (Host h : hosts) {
        closing.add(h.closeAsync());
      }
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .orTimeout(60, TimeUnit.SECONDS)
          .exceptionally(e -> null)
          .join();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void build() {
    int spamCount = (int) Math.round(p.nodes() * p.spamFraction());
    while (spammers.size() < spamCount) {
      spammers.add(random.nextInt(p.nodes()));
    }
    GossipSubConfig cfg =
        GossipSubConfig.builder()
            .heartbeatInterval(p.heartbeat())
            .validation(1, 1024, 1)
            .outboundQueueSize(4096)
            .build();
    for (int i = 0; i < p.nodes(); i++) {
      Host h =
          new HostBuilder()
              .transports(Transports.memory())
              .listen("/ip4/127.0.0.1/tcp/0")
              .callbackExecutor(callbacks)
              .dialTimeout(Duration.ofSeconds(60))
              .handshakeTimeout(Duration.ofSeconds(60))
              .build();
      h.start().orTimeout(30, TimeUnit.SECONDS).join();
      hosts.add(h);
      GossipSub g = new GossipSub(h, cfg, callbacks);
      g.start().orTimeout(30, TimeUnit.SECONDS).join();
      nodes.add(g);
      latencyMicros[i] = new AtomicLongArray(p.messages());
      int node = i;
      if (!spammers.contains(i)) {
        g.addValidator(
            TOPIC,
            m ->
                m.data().length > 0 && m.data()[0] == SPAM
                    ? TopicValidationResult.REJECT
                    : TopicValidationResult.ACCEPT);
      }
      g.subscribe(TOPIC, m -> received(node, m.data(), m.receivedFrom().equals(m.from())))
          .orTimeout(30, TimeUnit.SECONDS)
          .join();
    }
    // one node's dials at a time: hundreds of simultaneous handshakes would only time out on a
    // loaded machine, and the network does not need them to start at once
    for (int i = 0; i < p.nodes(); i++) {
      Set<Integer> targets = new HashSet<>();
      while (targets.size() < Math.min(p.dialsPerNode(), p.nodes() - 1)) {
        int t = random.nextInt(p.nodes());
        if (t != i) {
          targets.add(t);
        }
      }
      List<CompletableFuture<?>> dials = new ArrayList<>();
      for (int t : targets) {
        dials.add(hosts.get(i).dial(hosts.get(t).listenAddresses().get(0)));
      }
      CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
          .orTimeout(120, TimeUnit.SECONDS)
          .join();
    }
  }

  private void received(int node, byte[] data, boolean fromAuthor) {
    if (data.length < 16 || data[0] != HONEST) {
      return;
    }
    ByteBuffer b = ByteBuffer.wrap(data);
    int index = b.getInt(4);
    long sentAt = b.getLong(8);
    long micros = Math.max(1, (System.nanoTime() - sentAt) / 1000);
    if (!latencyMicros[node].compareAndSet(index, 0, micros)) {
      appDuplicates.incrementAndGet();
    } else if (fromAuthor) {
      oneHopMicros.add(micros);
    }
  }

  private byte[] payload(byte kind, int index) {
    byte[] data = new byte[p.messageBytes()];
    random.nextBytes(data);
    ByteBuffer b = ByteBuffer.wrap(data);
    b.put(0, kind);
    b.putInt(4, index);
    b.putLong(8, System.nanoTime());
    return data;
  }

  private boolean live(int i) {
    return !killed.contains(i);
  }

  private Result drive(long start) throws Exception {
    awaitMeshes();
    ScheduledExecutorService driver = Executors.newScheduledThreadPool(2, daemon("sim-driver"));
    Map<String, Double> minScore = new ConcurrentHashMap<>();
    AtomicInteger spamIndex = new AtomicInteger();
    try {
      if (!spammers.isEmpty()) {
        long every = Math.max(1, 1_000_000L / p.spamPerSecondPerSpammer());
        driver.scheduleAtFixedRate(
            () -> {
              for (int s : spammers) {
                nodes.get(s).publish(TOPIC, payload(SPAM, spamIndex.incrementAndGet()));
              }
            },
            0,
            every,
            TimeUnit.MICROSECONDS);
        driver.scheduleWithFixedDelay(
            () -> sampleSpammerScores(minScore), 200, 200, TimeUnit.MILLISECONDS);
      }
      List<Integer> honest = new ArrayList<>();
      for (int i = 0; i < p.nodes(); i++) {
        if (!spammers.contains(i)) {
          honest.add(i);
        }
      }
      long periodNanos = 1_000_000_000L / p.publishesPerSecond();
      long next = System.nanoTime();
      for (int m = 0; m < p.messages(); m++) {
        if (m == p.messages() / 2 && p.killFraction() > 0) {
          kill(honest);
        }
        int from;
        do {
          from = honest.get(random.nextInt(honest.size()));
        } while (!live(from));
        publisher[m] = from;
        nodes.get(from).publish(TOPIC, payload(HONEST, m));
        next += periodNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not waiting for a condition
        }
      }
      awaitDeliveries(honest);
      if (!spammers.isEmpty()) {
        // keep sampling a little while the spam goes on, so every pair had its chance
        long until = System.nanoTime() + p.heartbeat().toNanos() * 3;
        while (System.nanoTime() < until && !allGraylisted(minScore)) {
          TimeUnit.MILLISECONDS.sleep(100);
        }
      }
    } finally {
      driver.shutdownNow();
      driver.awaitTermination(10, TimeUnit.SECONDS);
    }
    return result(minScore, (System.nanoTime() - start) / 1e9);
  }

  private void awaitMeshes() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      int ready = 0;
      for (GossipSub g : nodes) {
        if (g.meshPeers(TOPIC).orTimeout(30, TimeUnit.SECONDS).join().size() >= 4) {
          ready++;
        }
      }
      if (ready == nodes.size()) {
        return;
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
  }

  private void kill(List<Integer> honest) {
    int count = (int) Math.round(p.nodes() * p.killFraction());
    List<Integer> shuffled = new ArrayList<>(honest);
    java.util.Collections.shuffle(shuffled, random);
    for (int i : shuffled.subList(0, Math.min(count, shuffled.size()))) {
      killed.add(i);
      nodes.get(i).close();
      hosts.get(i).closeAsync();
    }
  }

  private boolean delivered(int node, int m) {
    return latencyMicros[node].get(m) != 0;
  }

  private long missing(List<Integer> honest) {
    long missing = 0;
    for (int n : honest) {
      if (!live(n)) {
        continue;
      }
      for (int m = 0; m < p.messages(); m++) {
        if (publisher[m] != n && !delivered(n, m)) {
          missing++;
        }
      }
    }
    return missing;
  }

  private void awaitDeliveries(List<Integer> honest) throws InterruptedException {
    long deadline = System.nanoTime() + p.settle().toNanos();
    while (System.nanoTime() < deadline && missing(honest) > 0) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
  }

  private void sampleSpammerScores(Map<String, Double> minScore) {
    for (int s : spammers) {
      PeerId spammer = hosts.get(s).peerId();
      for (int n = 0; n < nodes.size(); n++) {
        if (spammers.contains(n) || !live(n) || hosts.get(n).connections(spammer).isEmpty()) {
          continue;
        }
        double score = nodes.get(n).score(spammer).orTimeout(10, TimeUnit.SECONDS).join();
        minScore.merge(s + ">" + n, score, Math::min);
      }
    }
  }

  private boolean allGraylisted(Map<String, Double> minScore) {
    return !minScore.isEmpty() && minScore.values().stream().allMatch(v -> v < -80);
  }

  private Result result(Map<String, Double> minScore, double seconds) {
    List<Integer> honest = new ArrayList<>();
    for (int i = 0; i < p.nodes(); i++) {
      if (!spammers.contains(i) && live(i)) {
        honest.add(i);
      }
    }
    long expected = 0;
    long delivered = 0;
    List<Long> latencies = new ArrayList<>();
    for (int n : honest) {
      for (int m = 0; m < p.messages(); m++) {
        if (publisher[m] == n) {
          continue;
        }
        expected++;
        long v = latencyMicros[n].get(m);
        if (v != 0) {
          delivered++;
          latencies.add(v);
        }
      }
    }
    if (System.getProperty("sim.debug") != null) {
      for (int m = 0; m < p.messages(); m++) {
        int misses = 0;
        for (int n : honest) {
          if (publisher[m] != n && latencyMicros[n].get(m) == 0) {
            misses++;
          }
        }
        if (misses > 0) {
          System.out.printf(
              "missing message %d from node %d (killed %b): %d nodes%n",
              m, publisher[m], killed.contains(publisher[m]), misses);
        }
      }
    }
    latencies.sort(null);
    List<Long> oneHop = new ArrayList<>(oneHopMicros);
    oneHop.sort(null);
    long duplicates = 0;
    long routerDeliveries = 0;
    long bytes = 0;
    long spamInvalid = 0;
    long graylisted = 0;
    long[] drops = new long[4];
    for (int n : honest) {
      GossipSubStats s = nodes.get(n).stats();
      drops[0] += s.droppedOutboundRpcs();
      drops[1] += s.droppedInboundRpcs();
      drops[2] += s.validationDropped();
      drops[3] += s.droppedDeliveries();
      duplicates += s.duplicates();
      routerDeliveries += s.delivered();
      bytes += s.bytesSent();
      spamInvalid += s.invalid();
      graylisted += s.graylistedRpcs();
    }
    int graylistedPairs = (int) minScore.values().stream().filter(v -> v < -80).count();
    return new Result(
        honest.size(),
        expected,
        delivered,
        expected == 0 ? 1 : (double) delivered / expected,
        percentile(latencies, 0.50),
        percentile(latencies, 0.99),
        latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1) / 1000.0,
        percentile(oneHop, 0.50),
        percentile(oneHop, 0.99),
        routerDeliveries == 0 ? 0 : (double) duplicates / routerDeliveries,
        delivered == 0 ? 0 : (double) bytes / delivered,
        appDuplicates.get(),
        spammers.size(),
        minScore.size(),
        graylistedPairs,
        spamInvalid,
        graylisted,
        drops[0],
        drops[1],
        drops[2],
        drops[3],
        seconds);
  }

  private static double percentile(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1000.0;
  }
}
