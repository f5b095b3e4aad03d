package org.lotusia.swapsig.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.lotusia.musig2.p2p.net.CoordinatorNetworkBase;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.SwapSigManager;
import org.lotusia.swapsig.SwapSigNetwork;

/**
 * The {@link SwapSigNetwork} of a running {@link P2PCoordinator}: direct messages with lotus-sdk's
 * framing on {@code /lotus/message/1.0.0}, pool announcements on the GossipSub topic (delivered
 * with their StrictSign author; unsigned ones are dropped and counted) and as the coordinator's
 * signed DHT resources, which also serve discovery by type.
 *
 * <p>Threading: thread-safe; every method returns at once and every returned future completes (a
 * send within the coordinator's {@code sendTimeout}).
 */
public final class CoordinatorSwapSigNetwork extends CoordinatorNetworkBase
    implements SwapSigNetwork {

  private volatile SwapSigManager manager;

  /**
   * @param node a started coordinator (its peer ID is read now)
   * @throws IllegalStateException when the coordinator was never started
   */
  public CoordinatorSwapSigNetwork(P2PCoordinator node) {
    super(node);
  }

  /**
   * Names the manager topic messages go to; call once, before it subscribes.
   *
   * @param m the manager built over this network
   */
  public void attach(SwapSigManager m) {
    this.manager = Objects.requireNonNull(m, "manager");
  }

  @Override
  public CompletableFuture<Void> send(String peerId, P2PMessage message) {
    return guarded(() -> node.sendTo(peerId, message));
  }

  @Override
  public CompletableFuture<Void> subscribe(String topic) {
    SwapSigManager m = manager;
    if (m == null) {
      return CompletableFuture.failedFuture(new IllegalStateException("no SwapSig manager attached"));
    }
    return subscribeAuthored(topic, m::deliverTopic);
  }

  @Override
  public CompletableFuture<List<JsonNode>> findResources(String type) {
    return guarded(
        () ->
            node.discoverResources(type, Map.of(), Duration.ofSeconds(10))
                .thenApply(l -> l.stream().map(ResourceAnnouncement::data).toList()));
  }
}
