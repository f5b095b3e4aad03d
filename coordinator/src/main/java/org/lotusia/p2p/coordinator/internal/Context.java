package org.lotusia.p2p.coordinator.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.security.CoreSecurityManager;

/**
 * What the coordinator's parts share while it runs: the configuration, the libp2p services of this
 * run, the security manager, the event bus, the callback executor (user code and future
 * completions) and the service scheduler (timers and state; never user code). One instance per
 * {@code start()}; immutable.
 *
 * @param config the configuration
 * @param host the libp2p host
 * @param dht the DHT, when enabled
 * @param gossip GossipSub, when enabled
 * @param security the security manager (lives across restarts)
 * @param events the event bus (lives across restarts)
 * @param callbacks where user code runs and futures complete
 * @param scheduler the service thread: timers and coordinator state, never user code
 */
public record Context(
    P2PConfig config,
    Host host,
    Optional<KadDht> dht,
    Optional<GossipSub> gossip,
    CoreSecurityManager security,
    EventBus events,
    Executor callbacks,
    ScheduledExecutorService scheduler) {

  /**
   * This node's peer ID.
   *
   * @return the base58 text
   */
  public String selfId() {
    return host.peerId().toBase58();
  }

  /**
   * The configured clock.
   *
   * @return the clock
   */
  public Clock clock() {
    return config.clock();
  }

  /**
   * Now, by the configured clock.
   *
   * @return the instant
   */
  public Instant now() {
    return config.clock().instant();
  }

  /** How long addresses found through the DHT are kept. */
  public static final Duration FOUND_ADDRESS_TTL = Duration.ofMinutes(10);

  /**
   * Opens a stream to {@code peer} for the first of {@code protocols} it accepts: on a connection,
   * or dialling an address the peer store knows; when it knows none, through the addresses the DHT
   * finds for the peer (js-libp2p's dialer asks its peer routing the same way), which the peer
   * store then keeps for {@link #FOUND_ADDRESS_TTL}.
   *
   * @param peer the peer
   * @param protocols the protocols, in order of preference
   * @return the stream, or the error of the dial or the negotiation
   */
  public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
    return reach(peer, () -> host.newStream(peer, protocols));
  }

  /**
   * Opens a stream to {@code peer} for {@code protocol} with {@code data} sent together with the
   * protocol proposal ({@link org.lotusia.libp2p.Host#newStreamWithData}), finding the peer as
   * {@link #newStream} does.
   *
   * @param peer the peer
   * @param protocol the protocol
   * @param data the first bytes, not modified afterwards by the caller
   * @param closeWrite whether to half-close the stream after {@code data}
   * @return the stream once the peer accepted the protocol, or the error of the dial or the
   *     negotiation
   */
  public CompletableFuture<Stream> newStreamWithData(
      PeerId peer, String protocol, byte[] data, boolean closeWrite) {
    return reach(peer, () -> host.newStreamWithData(peer, protocol, data, closeWrite));
  }

  private CompletableFuture<Stream> reach(PeerId peer, Supplier<CompletableFuture<Stream>> open) {
    if (dht.isEmpty() || host.isConnected(peer) || !host.peerStore().addresses(peer).isEmpty()) {
      return open.get();
    }
    // on the callback executor, as every future the coordinator returns; a failed lookup leaves
    // the host's own error ("no connection to and no address for peer ...")
    return dht.get()
        .findPeer(peer)
        .handleAsync(
            (found, e) -> {
              if (found != null) {
                found.ifPresent(
                    p -> host.peerStore().addAddresses(peer, p.addresses(), FOUND_ADDRESS_TTL));
              }
              return open.get();
            },
            callbacks)
        .thenCompose(f -> f);
  }

  /**
   * Parses a peer ID given by a caller.
   *
   * @param peerId the text
   * @return the peer ID
   * @throws IllegalArgumentException naming the text when it is not a peer ID
   */
  public static PeerId parsePeer(String peerId) {
    if (peerId == null) {
      throw new IllegalArgumentException("peer ID is null");
    }
    try {
      return PeerId.parse(peerId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + peerId + "' is not a peer ID: " + e.getMessage(), e);
    }
  }
}
