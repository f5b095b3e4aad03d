package org.lotusia.libp2p.protocol.pubsub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lotusia.libp2p.PeerId;

/**
 * The GossipSub v1.1 peer score, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#the-score-function:
 * P1 time in mesh, P2 first message deliveries, P3 mesh message delivery deficit, P3b mesh failure
 * penalty and P4 invalid messages for topics with {@link TopicScoreParams}; for topics without
 * them, invalid messages still count in one global counter weighted by {@link
 * PeerScoreParams#invalidMessageWeight()}, so a spammer is graylisted with the defaults. P5 is the
 * application's value (set from outside, see {@link #setAppScore}), P6 the IP colocation factor
 * over the connected peers, P7 the behaviour penalty.
 *
 * <p>A peer that leaves with a negative score keeps its counters (still decaying) for {@value
 * #RETAIN_MILLIS} ms, at most {@value #MAX_RETAINED} peers, so reconnecting does not wash a penalty
 * away (the spec's retainScore, js default 1 hour). Not thread-safe; owned by the router.
 */
final class PeerScore {
  private static final class TopicStats {
    boolean inMesh;
    long graftTime;
    long meshTime;
    boolean meshActive;
    double firstDeliveries;
    double meshDeliveries;
    double meshFailurePenalty;
    double invalidDeliveries;
  }

  private static final class Stats {
    final Map<String, TopicStats> topics = new HashMap<>();
    double behaviourPenalty;
    double invalidUntuned;
    double appScore;
    String ip;
  }

  static final long RETAIN_MILLIS = 3_600_000L;
  static final int MAX_RETAINED = 10_000;

  private record Retained(Stats stats, long until) {}

  private final PeerScoreParams params;
  private final Map<PeerId, Stats> peers = new HashMap<>();
  private final LinkedHashMap<PeerId, Retained> retained = new LinkedHashMap<>();
  private final Map<String, Set<PeerId>> byIp = new HashMap<>();

  PeerScore(PeerScoreParams params) {
    this.params = params;
  }

  PeerScoreParams params() {
    return params;
  }

  /** A peer connected from {@code ip} (null when unknown); its retained counters come back. */
  void addPeer(PeerId p, long now, String ip) {
    if (peers.containsKey(p)) {
      return;
    }
    Retained r = retained.remove(p);
    Stats s = r != null && r.until() > now ? r.stats() : new Stats();
    s.ip = ip;
    peers.put(p, s);
    if (ip != null && !params.ipColocationFactorWhitelist().contains(ip)) {
      byIp.computeIfAbsent(ip, k -> new HashSet<>()).add(p);
    }
  }

  void removePeer(PeerId p, long now) {
    Stats s = peers.remove(p);
    if (s == null) {
      return;
    }
    if (s.ip != null) {
      Set<PeerId> same = byIp.get(s.ip);
      if (same != null && same.remove(p) && same.isEmpty()) {
        byIp.remove(s.ip);
      }
    }
    if (score(s) < 0) {
      for (TopicStats t : s.topics.values()) {
        t.inMesh = false;
      }
      retained.put(p, new Retained(s, now + RETAIN_MILLIS));
      if (retained.size() > MAX_RETAINED) {
        Iterator<PeerId> it = retained.keySet().iterator();
        it.next();
        it.remove();
      }
    }
  }

  private TopicStats topic(PeerId p, String topic) {
    if (!params.topics().containsKey(topic)) {
      return null;
    }
    Stats s = peers.get(p);
    return s == null ? null : s.topics.computeIfAbsent(topic, t -> new TopicStats());
  }

  void graft(PeerId p, String topic, long now) {
    TopicStats t = topic(p, topic);
    if (t != null) {
      t.inMesh = true;
      t.graftTime = now;
      t.meshTime = 0;
      t.meshActive = false;
    }
  }

  void prune(PeerId p, String topic) {
    TopicStats t = topic(p, topic);
    if (t == null) {
      return;
    }
    TopicScoreParams tp = params.topics().get(topic);
    if (t.meshActive && t.meshDeliveries < tp.meshMessageDeliveriesThreshold()) {
      double deficit = tp.meshMessageDeliveriesThreshold() - t.meshDeliveries;
      t.meshFailurePenalty += deficit * deficit;
    }
    t.inMesh = false;
  }

  /**
   * A valid message of {@code topic} came from {@code p}: first, or near-first (while the first
   * copy was being validated). Only these count for P3, as the spec's delivery window prescribes.
   */
  void delivered(PeerId p, String topic, boolean first) {
    TopicStats t = topic(p, topic);
    if (t == null) {
      return;
    }
    TopicScoreParams tp = params.topics().get(topic);
    if (first) {
      t.firstDeliveries = Math.min(tp.firstMessageDeliveriesCap(), t.firstDeliveries + 1);
    }
    if (t.inMesh) {
      t.meshDeliveries = Math.min(tp.meshMessageDeliveriesCap(), t.meshDeliveries + 1);
    }
  }

  /**
   * An invalid message (broken signature policy, or rejected by a validator) came from {@code p}.
   */
  void rejected(PeerId p, String topic) {
    TopicStats t = topic(p, topic);
    if (t != null) {
      t.invalidDeliveries += 1;
      return;
    }
    Stats s = peers.get(p);
    if (s != null) {
      s.invalidUntuned += 1;
    }
  }

  /** Sets the application-specific value (P5) of {@code p}; ignored for unknown peers. */
  void setAppScore(PeerId p, double value) {
    Stats s = peers.get(p);
    if (s != null) {
      s.appScore = Double.isFinite(value) ? value : 0;
    }
  }

  /** Adds {@code count} to the behaviour penalty (P7) of {@code p}. */
  void penalize(PeerId p, double count) {
    Stats s = peers.get(p);
    if (s != null) {
      s.behaviourPenalty += count;
    }
  }

  double score(PeerId p) {
    Stats s = peers.get(p);
    return s == null ? 0 : score(s);
  }

  private double score(Stats s) {
    double topicsScore = 0;
    for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
      TopicScoreParams tp = params.topics().get(e.getKey());
      TopicStats t = e.getValue();
      double ts = 0;
      if (t.inMesh) {
        double quanta = (double) t.meshTime / tp.timeInMeshQuantum().toMillis();
        ts += Math.min(quanta, tp.timeInMeshCap()) * tp.timeInMeshWeight();
      }
      ts += t.firstDeliveries * tp.firstMessageDeliveriesWeight();
      if (t.inMesh && t.meshActive && t.meshDeliveries < tp.meshMessageDeliveriesThreshold()) {
        double deficit = tp.meshMessageDeliveriesThreshold() - t.meshDeliveries;
        ts += deficit * deficit * tp.meshMessageDeliveriesWeight();
      }
      ts += t.meshFailurePenalty * tp.meshFailurePenaltyWeight();
      ts += t.invalidDeliveries * t.invalidDeliveries * tp.invalidMessageDeliveriesWeight();
      topicsScore += ts * tp.topicWeight();
    }
    if (params.topicScoreCap() > 0 && topicsScore > params.topicScoreCap()) {
      topicsScore = params.topicScoreCap();
    }
    double p4 = s.invalidUntuned * s.invalidUntuned * params.invalidMessageWeight();
    double p5 = s.appScore * params.appSpecificWeight();
    double p6 = 0;
    Set<PeerId> same = s.ip == null ? null : byIp.get(s.ip);
    if (same != null) {
      double surplus = same.size() - params.ipColocationFactorThreshold();
      if (surplus > 0) {
        p6 = surplus * surplus * params.ipColocationFactorWeight();
      }
    }
    double excess = s.behaviourPenalty - params.behaviourPenaltyThreshold();
    double p7 = excess > 0 ? excess * excess * params.behaviourPenaltyWeight() : 0;
    return topicsScore + p4 + p5 + p6 + p7;
  }

  /** Decays the counters and advances mesh times; called once per heartbeat. */
  void refresh(long now) {
    double zero = params.decayToZero();
    retained.values().removeIf(r -> r.until() <= now);
    List<Stats> all = new ArrayList<>(peers.values());
    retained.values().forEach(r -> all.add(r.stats()));
    for (Stats s : all) {
      for (Map.Entry<String, TopicStats> e : s.topics.entrySet()) {
        TopicScoreParams tp = params.topics().get(e.getKey());
        TopicStats t = e.getValue();
        t.firstDeliveries = decay(t.firstDeliveries, tp.firstMessageDeliveriesDecay(), zero);
        t.meshDeliveries = decay(t.meshDeliveries, tp.meshMessageDeliveriesDecay(), zero);
        t.meshFailurePenalty = decay(t.meshFailurePenalty, tp.meshFailurePenaltyDecay(), zero);
        t.invalidDeliveries = decay(t.invalidDeliveries, tp.invalidMessageDeliveriesDecay(), zero);
        if (t.inMesh) {
          t.meshTime = now - t.graftTime;
          if (t.meshTime > tp.meshMessageDeliveriesActivation().toMillis()) {
            t.meshActive = true;
          }
        }
      }
      s.invalidUntuned = decay(s.invalidUntuned, params.invalidMessageDecay(), zero);
      s.behaviourPenalty = decay(s.behaviourPenalty, params.behaviourPenaltyDecay(), zero);
    }
  }

  private static double decay(double v, double factor, double zero) {
    double d = v * factor;
    return d < zero ? 0 : d;
  }
}
