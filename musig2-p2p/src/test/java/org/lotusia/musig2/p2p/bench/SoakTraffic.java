package org.lotusia.musig2.p2p.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The soak's steady traffic and its accounting: direct messages, topic publishes and DHT resource
 * announce-then-discover, each at a fixed rate from random live nodes to random live peers.
 *
 * <p>An item is settled {@link #SETTLE} after it was sent: delivered, or "churned" when the sender
 * or the receiver was stopped in between (a node that left is not a loss), or lost. Topic receivers
 * count only when they had been up for {@link #WARM} at the publish (a node that just joined has
 * no mesh yet). Failures are grouped by their first line.
 */
final class SoakTraffic {

  static final Duration SETTLE = Duration.ofSeconds(30);
  static final Duration WARM = Duration.ofSeconds(15);

  /** Outcome counters of one kind of traffic. */
  static final class Tally {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong churned = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong latencyNanos = new AtomicLong();
    final Map<String, AtomicLong> lossReasons = new ConcurrentHashMap<>();

    void lose(String reason) {
      lost.incrementAndGet();
      lossReasons.computeIfAbsent(reason, r -> new AtomicLong()).incrementAndGet();
    }

    /** Delivered / (delivered + lost), churned excluded; NaN when nothing settled. */
    double rate() {
      long d = delivered.get();
      long l = lost.get();
      return d + l == 0 ? Double.NaN : (double) d / (d + l);
    }

    String summary() {
      long d = delivered.get();
      return String.format(
          "sent=%d delivered=%d lost=%d churned=%d rate=%.4f mean_latency_ms=%.1f losses=%s",
          sent.get(), d, lost.get(), churned.get(), rate(),
          d == 0 ? 0 : latencyNanos.get() / 1e6 / d, lossReasons);
    }
  }

  private record Direct(long sentAt, int from, int fromStops, int to, int toStops) {}

  private static final class Publish {
    final long sentAt;
    final int from;
    final int fromStops;
    final Map<Integer, Integer> receivers; // node -> its stops at the publish
    final Set<Integer> got = ConcurrentHashMap.newKeySet();
    volatile String error;

    Publish(long sentAt, int from, int fromStops, Map<Integer, Integer> receivers) {
      this.sentAt = sentAt;
      this.from = from;
      this.fromStops = fromStops;
      this.receivers = receivers;
    }
  }

  final Tally direct = new Tally();
  final Tally topic = new Tally();
  final Tally dht = new Tally();
  private final Map<Long, Direct> directs = new ConcurrentHashMap<>();
  private final Map<Long, String> directErrors = new ConcurrentHashMap<>();
  private final Map<Long, Publish> publishes = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final List<SoakNode> nodes;
  private final Random rnd = new Random(7);

  SoakTraffic(List<SoakNode> nodes) {
    this.nodes = nodes;
  }

  /** Schedules the three kinds of traffic and the settling on {@code timer}. */
  void schedule(ScheduledExecutorService timer, double directPerS, double topicPerS, double dhtPerS) {
    every(timer, directPerS, this::sendDirect);
    every(timer, topicPerS, this::publish);
    every(timer, dhtPerS, this::announceAndDiscover);
    timer.scheduleWithFixedDelay(() -> settle(false), 5, 5, TimeUnit.SECONDS);
  }

  private static void every(ScheduledExecutorService timer, double perS, Runnable r) {
    if (perS > 0) {
      long period = (long) (1e6 / perS);
      timer.scheduleAtFixedRate(guard(r), period, period, TimeUnit.MICROSECONDS);
    }
  }

  static Runnable guard(Runnable r) {
    return () -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        System.out.println("# traffic task failed: " + e);
      }
    };
  }

  /** A random node that has been up for {@link #WARM}, other than {@code not}; null if none. */
  SoakNode pick(int not) {
    List<SoakNode> ok = nodes.stream().filter(n -> n.index != not && n.upFor(WARM)).toList();
    synchronized (rnd) {
      return ok.isEmpty() ? null : ok.get(rnd.nextInt(ok.size()));
    }
  }

  private void sendDirect() {
    SoakNode from = pick(-1);
    SoakNode to = from == null ? null : pick(from.index);
    if (to == null) {
      return;
    }
    long id = ids.incrementAndGet();
    directs.put(id, new Direct(System.nanoTime(), from.index, from.stops(), to.index, to.stops()));
    direct.sent.incrementAndGet();
    P2PMessage m = from.node.createMessage("soak-direct", Map.of("id", id), SoakNode.PROTOCOL);
    from.node.sendTo(to.peerId(), m).whenComplete((v, e) -> {
      if (e != null) {
        directErrors.put(id, reason(e));
      }
    });
  }

  /** Called on the receiving node's callback thread. */
  void onDirect(int at, P2PMessage m) {
    Direct d = directs.remove(m.payload().get("id").asLong());
    if (d != null) {
      direct.delivered.incrementAndGet();
      direct.latencyNanos.addAndGet(System.nanoTime() - d.sentAt);
    }
  }

  private void publish() {
    SoakNode from = pick(-1);
    if (from == null) {
      return;
    }
    long id = ids.incrementAndGet();
    Map<Integer, Integer> receivers = new ConcurrentHashMap<>();
    for (SoakNode n : nodes) {
      if (n != from && n.upFor(WARM)) {
        receivers.put(n.index, n.stops());
      }
    }
    Publish p = new Publish(System.nanoTime(), from.index, from.stops(), receivers);
    publishes.put(id, p);
    topic.sent.addAndGet(receivers.size());
    from.node.publishToTopic(SoakNode.TOPIC, ("soak:" + id).getBytes(StandardCharsets.US_ASCII))
        .whenComplete((v, e) -> {
          if (e != null) {
            p.error = reason(e);
          }
        });
  }

  /** Called on the receiving node's callback thread. */
  void onTopic(int at, TopicMessage m) {
    String s = new String(m.data(), StandardCharsets.US_ASCII);
    if (!s.startsWith("soak:")) {
      return;
    }
    Publish p = publishes.get(Long.parseLong(s.substring(5)));
    if (p != null && p.receivers.containsKey(at) && p.got.add(at)) {
      topic.latencyNanos.addAndGet(System.nanoTime() - p.sentAt);
    }
  }

  private void announceAndDiscover() {
    SoakNode from = pick(-1);
    if (from == null) {
      return;
    }
    long id = ids.incrementAndGet();
    int fromStops = from.stops();
    long t0 = System.nanoTime();
    dht.sent.incrementAndGet();
    from.node.announceResource("soak", "r" + id, Map.of("id", id)).whenComplete((a, e) -> {
      if (e != null) {
        settleDht(from, fromStops, null, 0, "announce: " + reason(e), t0);
        return;
      }
      SoakNode to = pick(from.index);
      if (to == null) {
        dht.churned.incrementAndGet();
        return;
      }
      int toStops = to.stops();
      to.node.discoverResource("soak", "r" + id).whenComplete((r, e2) -> {
        String err = e2 != null ? "discover: " + reason(e2)
            : r.isEmpty() ? "discover: not found" : null;
        settleDht(from, fromStops, to, toStops, err, t0);
        if (from.live()) {
          from.node.withdrawResource("soak", "r" + id); // keeps each node's own records bounded
        }
      });
    });
  }

  private void settleDht(SoakNode from, int fromStops, SoakNode to, int toStops, String err,
      long t0) {
    if (err == null) {
      dht.delivered.incrementAndGet();
      dht.latencyNanos.addAndGet(System.nanoTime() - t0);
    } else if (from.stops() != fromStops || (to != null && to.stops() != toStops)) {
      dht.churned.incrementAndGet();
    } else {
      dht.lose(err);
    }
  }

  /** Settles what is older than {@link #SETTLE}, or everything when {@code all}. */
  void settle(boolean all) {
    long cut = System.nanoTime() - (all ? 0 : SETTLE.toNanos());
    for (Map.Entry<Long, Direct> e : directs.entrySet()) {
      Direct d = e.getValue();
      if (d.sentAt <= cut && directs.remove(e.getKey(), d)) {
        String err = directErrors.remove(e.getKey());
        if (nodes.get(d.from).stops() != d.fromStops || nodes.get(d.to).stops() != d.toStops) {
          direct.churned.incrementAndGet();
        } else {
          direct.lose(err == null ? "never arrived" : err);
        }
      }
    }
    directErrors.keySet().removeIf(id -> !directs.containsKey(id));
    for (Map.Entry<Long, Publish> e : publishes.entrySet()) {
      Publish p = e.getValue();
      if (p.sentAt > cut || !publishes.remove(e.getKey(), p)) {
        continue;
      }
      boolean publisherLeft = nodes.get(p.from).stops() != p.fromStops;
      for (Map.Entry<Integer, Integer> r : p.receivers.entrySet()) {
        if (p.got.contains(r.getKey())) {
          topic.delivered.incrementAndGet();
        } else if (publisherLeft || nodes.get(r.getKey()).stops() != r.getValue()) {
          topic.churned.incrementAndGet();
        } else {
          topic.lose(p.error == null ? "never arrived" : p.error);
        }
      }
    }
  }

  /** The first line of the root cause, for grouping failures. */
  static String reason(Throwable e) {
    while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    String msg = String.valueOf(e.getMessage());
    // peer IDs and numbers vary per failure: group by the text around them
    msg = msg.replaceAll("12D3Koo[1-9A-HJ-NP-Za-km-z]+|Qm[1-9A-HJ-NP-Za-km-z]{44}", "<peer>")
        .replaceAll("[0-9]+", "#");
    int nl = msg.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (nl < 0 ? msg : msg.substring(0, nl));
  }
}
