package org.lotusia.musig2.p2p.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.LimitedConnectionException;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.musig2.p2p.discovery.MuSig2Discovery;
import org.lotusia.musig2.p2p.discovery.SignerAdvertisement;
import org.lotusia.musig2.p2p.discovery.SigningRequest;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The {@link SessionNetwork} of a running {@link P2PCoordinator}.
 *
 * <p>Sending: a message goes with lotus-sdk's framing (one JSON object per stream) on {@code
 * /lotus/message/1.0.0}, the protocol every lotus-sdk node serves. When the only connection to the
 * peer is a limited relayed one, on which that protocol does not run, it goes on {@value
 * MuSig2Wire#PROTOCOL_ID} instead, which both ends serve on limited connections (one session
 * exchanges a few kilobytes per pair of signers, far below a relay's data limit); a send on the
 * message protocol that fails for want of an unlimited connection is retried there once. A
 * message the session creator forwards for another signer ({@code from} is not this node) is
 * wrapped in a {@value MuSig2Wire#RELAY_TYPE} envelope of this node, because the coordinator's
 * security manager binds {@code from} to the delivering peer.
 *
 * <p>Receiving: topic messages of a subscribed topic reach the attached manager (those of the
 * discovery topics the attached discovery extension) with their StrictSign author; unsigned ones (no author) are dropped and counted. Direct messages arrive
 * through {@link SessionProtocolHandler}.
 *
 * <p>Resources: announcements go to the coordinator's DHT resources with the announcement's
 * expiry (or nowhere when DHT announcements are off), withdrawals stop republishing, lookups
 * return the freshest valid copy.
 *
 * <p>Threading: thread-safe; every method returns at once, and every returned future completes
 * (a send within the coordinator's {@code sendTimeout}). Sends still in flight can be awaited with
 * {@link #drain(Duration)}, so that a closing manager's last messages leave before the node stops.
 */
public final class CoordinatorSessionNetwork extends CoordinatorNetworkBase
    implements SessionNetwork {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final boolean dhtAnnouncements;
  private final Set<CompletableFuture<Void>> inFlight = ConcurrentHashMap.newKeySet();
  private final LongAdder limitedSends = new LongAdder();
  private final LongAdder wrappedForwards = new LongAdder();
  private volatile SessionManager manager;
  private volatile MuSig2Discovery discovery;

  /**
   * Creates the network of a started coordinator.
   *
   * @param node the coordinator; it must have been started (its peer ID is read now)
   * @param dhtAnnouncements whether sessions are announced as DHT resources too (the topic is
   *     always used)
   * @throws IllegalStateException when the coordinator was never started
   */
  public CoordinatorSessionNetwork(P2PCoordinator node, boolean dhtAnnouncements) {
    super(node);
    this.dhtAnnouncements = dhtAnnouncements;
  }

  /**
   * Names the manager that receives this network's topic messages. Call once, before the manager
   * subscribes.
   *
   * @param m the manager built over this network
   */
  public void attach(SessionManager m) {
    this.manager = Objects.requireNonNull(m, "manager");
  }

  /**
   * Names the discovery extension that receives the messages of its two topics ({@value
   * SignerAdvertisement#TOPIC}, {@value SigningRequest#TOPIC}). Call once, before it subscribes.
   *
   * @param d the discovery extension built over this network
   */
  public void attachDiscovery(MuSig2Discovery d) {
    this.discovery = Objects.requireNonNull(d, "discovery");
  }

  @Override
  public CompletableFuture<Void> send(String peerId, P2PMessage message) {
    CompletableFuture<Void> f;
    try {
      P2PMessage out = self.equals(message.from()) ? message : wrapForward(message);
      f = sendOnBestPath(peerId, out);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e); // not started, invalid peer ID, too large
    }
    track(f);
    return f;
  }

  private void track(CompletableFuture<Void> f) {
    if (!f.isDone()) {
      inFlight.add(f);
      f.whenComplete((v, e) -> inFlight.remove(f));
    }
  }

  private CompletableFuture<Void> sendOnBestPath(String peerId, P2PMessage out) {
    if (onlyLimitedConnections(peerId)) {
      limitedSends.increment();
      return node.sendTo(peerId, out, MuSig2Wire.PROTOCOL_ID);
    }
    return node.sendTo(peerId, out)
        .exceptionallyCompose(
            e -> {
              if (limitedOnly(e)) {
                limitedSends.increment();
                return node.sendTo(peerId, out, MuSig2Wire.PROTOCOL_ID);
              }
              return CompletableFuture.failedFuture(e);
            });
  }

  /** Relayed connections carry {@code /p2p-circuit} in their remote address. */
  private boolean onlyLimitedConnections(String peerId) {
    Optional<PeerInfo> info = node.getPeer(peerId);
    if (info.isEmpty() || !info.get().connected() || info.get().multiaddrs().isEmpty()) {
      return false;
    }
    return info.get().multiaddrs().stream().allMatch(a -> a.contains("/p2p-circuit"));
  }

  private static boolean limitedOnly(Throwable e) {
    Throwable t = e;
    for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
      if (t instanceof LimitedConnectionException) {
        return true;
      }
    }
    return false;
  }

  private P2PMessage wrapForward(P2PMessage inner) {
    JsonNode tree;
    try {
      tree = JSON.readTree(MessageJson.toBytes(inner));
    } catch (IOException e) {
      throw new IllegalStateException("cannot re-read an envelope this node wrote", e);
    }
    wrappedForwards.increment();
    return node.createMessage(MuSig2Wire.RELAY_TYPE, tree, MuSig2Wire.PROTOCOL_NAME);
  }

  @Override
  public CompletableFuture<Void> subscribe(String topic) {
    SessionManager m = manager;
    if (m == null) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("no session manager attached to this network"));
    }
    return subscribeAuthored(
        topic,
        (t, author, data) -> {
          MuSig2Discovery d = discovery;
          if (d != null && (SignerAdvertisement.TOPIC.equals(t) || SigningRequest.TOPIC.equals(t))) {
            d.deliverTopic(t, author, data);
          } else {
            m.deliverTopic(t, author, data);
          }
        });
  }

  @Override
  public CompletableFuture<Void> announceResource(
      String type, String id, ObjectNode data, long expiresAtMillis) {
    if (!dhtAnnouncements) {
      return CompletableFuture.completedFuture(null);
    }
    return super.announceResource(type, id, data, expiresAtMillis);
  }

  @Override
  public CompletableFuture<Void> withdrawResource(String type, String id) {
    return dhtAnnouncements ? super.withdrawResource(type, id) : CompletableFuture.completedFuture(null);
  }

  /**
   * Waits until the sends in flight now have completed, at most {@code timeout}.
   *
   * @param timeout the longest wait
   * @return completes (never exceptionally) when they completed or the time is up
   */
  public CompletableFuture<Void> drain(Duration timeout) {
    CompletableFuture<?>[] pending = inFlight.toArray(new CompletableFuture<?>[0]);
    return CompletableFuture.allOf(pending)
        .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((v, e) -> null);
  }

  /**
   * @return sends that went on {@value MuSig2Wire#PROTOCOL_ID} because the peer was reachable only
   *     over a limited connection
   */
  public long limitedSends() {
    return limitedSends.sum();
  }

  /**
   * @return messages this node forwarded for another signer inside a {@value
   *     MuSig2Wire#RELAY_TYPE} envelope
   */
  public long wrappedForwards() {
    return wrappedForwards.sum();
  }

}
