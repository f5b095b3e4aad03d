package org.lotusia.p2p.coordinator.internal;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.p2p.coordinator.MeshHealth;
import org.lotusia.p2p.coordinator.P2PEvent;

/**
 * Watches the GossipSub mesh of every subscribed topic (reference section 1.10): each check
 * measures this node's mesh for the topic, keeps the result for {@link #health(String)}, and
 * publishes {@link P2PEvent.MeshHealthChanged} when a topic crosses the configured minimum (and at
 * its first check). Runs on the service scheduler; results are kept in a concurrent map.
 */
public final class MeshMonitor {

  private final Context ctx;
  private final GossipSub gossip;
  private final TopicService topics;
  private final Map<String, MeshHealth> last = new ConcurrentHashMap<>();

  /**
   * Creates the monitor for one run.
   *
   * @param ctx the run
   * @param gossip the router
   * @param topics the subscribed topics
   */
  public MeshMonitor(Context ctx, GossipSub gossip, TopicService topics) {
    this.ctx = ctx;
    this.gossip = gossip;
    this.topics = topics;
  }

  /** Measures every subscribed topic; forgets topics no longer subscribed. */
  public void check() {
    last.keySet().retainAll(topics.topics());
    for (String topic : topics.topics()) {
      gossip
          .meshPeers(topic)
          .thenAccept(
              mesh -> {
                int n = mesh.size();
                boolean healthy = n >= ctx.config().monitor().minMeshPeers();
                MeshHealth h =
                    new MeshHealth(topic, n, topics.topicPeers(topic).size(), healthy, ctx.now());
                MeshHealth before = last.put(topic, h);
                if (before == null || before.healthy() != healthy) {
                  ctx.events().publish(new P2PEvent.MeshHealthChanged(topic, n, healthy, ctx.now()));
                }
              });
    }
  }

  /**
   * The last measurement of a topic.
   *
   * @param topic the topic
   * @return the health, or empty before the first check or for a topic not subscribed
   */
  public Optional<MeshHealth> health(String topic) {
    return Optional.ofNullable(last.get(topic));
  }
}
