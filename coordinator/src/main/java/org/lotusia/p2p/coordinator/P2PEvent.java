package org.lotusia.p2p.coordinator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Everything a {@link P2PCoordinator} reports to its listeners (lotus-sdk's {@code P2PEventMap}, as
 * typed records). Listen with {@link P2PCoordinator#on(Class, java.util.function.Consumer)} for one
 * kind or {@link P2PCoordinator#addListener(java.util.function.Consumer)} for all.
 *
 * <p>Events are delivered on the coordinator's callback executor, never on a network or service
 * thread, in order per listener; a slow or throwing listener is isolated from the others.
 */
public sealed interface P2PEvent {

  /**
   * When the event happened, by the coordinator's clock.
   *
   * @return the instant
   */
  Instant timestamp();

  /**
   * The first connection to a peer opened ({@code peer:connect}).
   *
   * @param peerId the peer
   * @param multiaddrs remote addresses of its open connections
   * @param timestamp when
   */
  record PeerConnected(String peerId, List<String> multiaddrs, Instant timestamp)
      implements P2PEvent {
    /** Copies the list. */
    public PeerConnected {
      multiaddrs = List.copyOf(multiaddrs);
    }
  }

  /**
   * The last connection to a peer closed ({@code peer:disconnect}).
   *
   * @param peerId the peer
   * @param timestamp when
   */
  record PeerDisconnected(String peerId, Instant timestamp) implements P2PEvent {}

  /**
   * A peer became known without a connection: a bootstrap peer, a DHT routing-table entry, a
   * discovery advertisement ({@code peer:discovery}).
   *
   * @param peerInfo what is known of it
   * @param timestamp when
   */
  record PeerDiscovered(PeerInfo peerInfo, Instant timestamp) implements P2PEvent {}

  /**
   * What is known of a connected peer changed, for example identify completed ({@code
   * peer:update}).
   *
   * @param peerInfo the new information
   * @param timestamp when
   */
  record PeerUpdated(PeerInfo peerInfo, Instant timestamp) implements P2PEvent {}

  /**
   * A direct message arrived on {@code /lotus/message/1.0.0} and passed the security manager
   * ({@code message}).
   *
   * @param message the message
   * @param from the authenticated sender
   * @param timestamp when
   */
  record MessageReceived(P2PMessage message, PeerInfo from, Instant timestamp)
      implements P2PEvent {}

  /**
   * A message arrived on a subscribed GossipSub topic and passed the security manager.
   *
   * @param message the message
   * @param timestamp when
   */
  record TopicMessageReceived(TopicMessage message, Instant timestamp) implements P2PEvent {}

  /**
   * This node announced a resource ({@code resource:announced}), or renewed one.
   *
   * @param announcement the signed announcement
   * @param renewal true when it is a renewal of an earlier announcement
   * @param timestamp when
   */
  record ResourceAnnounced(ResourceAnnouncement announcement, boolean renewal, Instant timestamp)
      implements P2PEvent {}

  /**
   * A resource announced by another node was found by a discover call.
   *
   * @param announcement the announcement
   * @param timestamp when
   */
  record ResourceDiscovered(ResourceAnnouncement announcement, Instant timestamp)
      implements P2PEvent {}

  /**
   * The addresses at which this node can be reached through relays changed ({@code
   * relay:addresses-available}).
   *
   * @param peerId this node
   * @param reachableAddresses all addresses others can use
   * @param relayAddresses the {@code /p2p-circuit} ones
   * @param timestamp when
   */
  record RelayAddressesChanged(
      String peerId, List<String> reachableAddresses, List<String> relayAddresses, Instant timestamp)
      implements P2PEvent {
    /** Copies the lists. */
    public RelayAddressesChanged {
      reachableAddresses = List.copyOf(reachableAddresses);
      relayAddresses = List.copyOf(relayAddresses);
    }
  }

  /**
   * The DHT routing table went from empty to non-empty ({@code dht:ready}).
   *
   * @param routingTableSize its size
   * @param mode {@code server} or {@code client}
   * @param timestamp when
   */
  record DhtReady(int routingTableSize, String mode, Instant timestamp) implements P2PEvent {}

  /**
   * The connection state changed ({@code connection:state-changed}).
   *
   * @param previous the old state
   * @param current the new state
   * @param error why, for {@link ConnectionState#ERROR}
   * @param timestamp when
   */
  record StateChanged(
      ConnectionState previous, ConnectionState current, Optional<String> error, Instant timestamp)
      implements P2PEvent {
    /** Checks for nulls. */
    public StateChanged {
      Objects.requireNonNull(previous, "previous");
      Objects.requireNonNull(current, "current");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The security manager banned a peer; its connections are closed and new ones refused.
   *
   * @param peerId the peer
   * @param reason the reason code, for example {@code excessive-warnings}
   * @param until the end of a temporary ban, empty for a permanent one
   * @param timestamp when
   */
  record PeerBanned(String peerId, String reason, Optional<Instant> until, Instant timestamp)
      implements P2PEvent {}

  /**
   * A bootstrap peer connected ({@code bootstrap:connected}).
   *
   * @param peerId the bootstrap peer
   * @param multiaddr the configured address
   * @param timestamp when
   */
  record BootstrapConnected(String peerId, String multiaddr, Instant timestamp)
      implements P2PEvent {}

  /**
   * A bootstrap peer disconnected ({@code bootstrap:disconnected}).
   *
   * @param peerId the bootstrap peer
   * @param timestamp when
   */
  record BootstrapDisconnected(String peerId, Instant timestamp) implements P2PEvent {}

  /**
   * A dial to a bootstrap peer is scheduled after a failure ({@code bootstrap:reconnecting}).
   *
   * @param peerId the bootstrap peer
   * @param attempt the attempt number, from 1
   * @param delayMillis the delay before it
   * @param timestamp when
   */
  record BootstrapReconnecting(String peerId, int attempt, long delayMillis, Instant timestamp)
      implements P2PEvent {}

  /**
   * The bootstrap manager gave up on a peer after the configured attempts ({@code
   * bootstrap:failed}).
   *
   * @param peerId the bootstrap peer
   * @param attempts attempts made
   * @param error the last failure
   * @param timestamp when
   */
  record BootstrapFailed(String peerId, int attempts, String error, Instant timestamp)
      implements P2PEvent {}

  /**
   * The mesh of a subscribed topic became healthy or unhealthy ({@code mesh:recovered} / {@code
   * mesh:unhealthy}).
   *
   * @param topic the topic
   * @param meshPeers peers in this node's mesh for it
   * @param healthy whether that meets the configured minimum
   * @param timestamp when
   */
  record MeshHealthChanged(String topic, int meshPeers, boolean healthy, Instant timestamp)
      implements P2PEvent {}

  /**
   * Something failed in the background: a timer task, a re-publication, a listener ({@code
   * error}). Calls made by the application report their failures through their futures instead.
   *
   * @param message what failed
   * @param code a short machine-readable code, e.g. {@code republish-failed}
   * @param cause the exception, if any
   * @param timestamp when
   */
  record Error(String message, String code, Optional<Throwable> cause, Instant timestamp)
      implements P2PEvent {}
}
