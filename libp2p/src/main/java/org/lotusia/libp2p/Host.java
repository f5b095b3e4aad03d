package org.lotusia.libp2p;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;

/**
 * A libp2p node: listens, dials, secures and multiplexes connections, negotiates protocols on
 * streams, and runs identify with every peer. Build one with {@link HostBuilder}.
 *
 * <p>Life cycle: {@link #start()} binds the listen addresses; {@link #closeAsync()} stops
 * listening, closes every connection and fails every pending future with {@link
 * ConnectionClosedException}. A host is {@link AutoCloseable}: {@link #close()} does the same and
 * waits for it (at most {@link #CLOSE_TIMEOUT}), so a try-with-resources block ends with the host's
 * listeners and connections closed:
 *
 * <pre>{@code
 * try (Host host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build()) {
 *   host.start().join();
 *   ...
 * } // closed here
 * }</pre>
 *
 * <p>Threading: every method is thread-safe and never blocks. Futures complete, and handlers and
 * listeners run, on the host's callback executor, never on a network thread.
 */
public interface Host extends AutoCloseable {

  /** How long {@link #close()} waits for the host to close: 10 seconds. */
  Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** This host's peer ID. */
  PeerId peerId();

  /** This host's identity key. */
  IdentityPrivateKey identity();

  /** Binds the listen addresses; completes when all are bound, or fails with the first error. */
  CompletableFuture<Void> start();

  /**
   * Closes listeners and connections and fails pending futures with {@link
   * ConnectionClosedException}, without blocking. Idempotent (every call returns a future of the
   * same close); completes, on the callback executor, when every network thread stopped. This is the
   * form to use from a handler, a listener or any other code that runs on the callback executor.
   *
   * @return completes when the host is closed
   */
  CompletableFuture<Void> closeAsync();

  /**
   * Closes the host as {@link #closeAsync()} does and waits until it is closed, at most {@link
   * #CLOSE_TIMEOUT}. When closing takes longer (a peer that does not answer the transport close, a
   * callback executor that is stalled), this returns after the timeout with a warning logged, and
   * the close goes on in the background: the listeners are already unbound and no new connection or
   * stream is accepted. When the waiting thread is interrupted, this returns at once with the
   * interrupt flag set. Never throws; idempotent.
   *
   * <p>Blocks: do not call it from a handler, a listener or another task on the host's callback
   * executor (the close completes there, so the call would wait out the whole timeout); use {@link
   * #closeAsync()} there.
   */
  @Override
  void close();

  /**
   * The addresses this host can be reached at, each ending in {@code /p2p/<peer id>}: the bound
   * listen addresses and, while a circuit relay reservation is held, the relayed {@code
   * .../p2p-circuit} addresses. Empty before start.
   */
  List<Multiaddr> listenAddresses();

  /**
   * Addresses at which remote peers reported seeing this host (identify's {@code observedAddr}), at
   * most 64, unverified.
   */
  java.util.Set<Multiaddr> observedAddresses();

  /**
   * The addresses this host tells peers to dial, each ending in {@code /p2p/<peer id>}: what
   * identify and the signed peer record carry. Built by the {@link AddressManager} (see {@link
   * #addresses()}) from the listen or announced addresses, observed and mapped addresses once
   * confirmed reachable, and relayed addresses, less the no-announce ones. Empty before start.
   */
  List<Multiaddr> advertisedAddresses();

  /** The address manager of this host: sources, verdicts and the advertised set. */
  AddressManager addresses();

  /** Dials with {@link DialOptions#DEFAULT}. */
  CompletableFuture<Connection> dial(Multiaddr address);

  /**
   * Connects to {@code peer} through the addresses the {@link #peerStore() peer store} holds for
   * it, trying them one after another until one answers; an existing connection is returned as it
   * is. Fails with {@link IllegalArgumentException} when there is no connection to the peer and no
   * address for it, otherwise with the error of the last address tried.
   */
  CompletableFuture<Connection> dial(PeerId peer);

  /**
   * Connects to {@code address}. When it names a peer ({@code /p2p/<id>}) the remote must prove
   * that identity, and an existing connection to it is returned unless {@link DialOptions#force()}.
   * Fails with {@link java.util.concurrent.TimeoutException} after the dial timeout, with {@link
   * ProtocolViolationException} when the remote broke the upgrade, and with {@link
   * IllegalArgumentException} when no transport can dial the address. A circuit address ({@code
   * /p2p/<relay>/p2p-circuit/p2p/<target>}, possibly behind the relay's own address) is dialled
   * through the relay when a {@code CircuitRelay} is installed on this host; the result is a
   * relayed connection, {@link Connection#limited()} when the relay applies limits.
   */
  CompletableFuture<Connection> dial(Multiaddr address, DialOptions options);

  /**
   * Opens a stream to {@code peer}, reusing a connection or dialling an address from the peer
   * store, and negotiates the first protocol of {@code protocols} the peer accepts. An unlimited
   * connection is preferred; when the only connection is limited and the protocols may not run on
   * it, the peer's direct addresses are dialled, and the future fails with {@link
   * LimitedConnectionException} when none answers.
   */
  CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols);

  /**
   * Opens a stream to {@code peer} as {@link #newStream(PeerId, List)} does for the one protocol
   * {@code protocol}, and sends {@code data} together with the protocol proposal, as {@link
   * Connection#newStreamWithData} describes (one write to the connection for the open, the
   * proposal and the data, no round trip before the data leaves; the optional half-close follows
   * the remote's acceptance).
   *
   * <p>The default implementation negotiates first and then writes (no saving).
   *
   * @param peer the peer
   * @param protocol the protocol ID
   * @param data the first bytes to send; copied before the method returns, may be empty
   * @param closeWrite whether to half-close the stream after {@code data}
   * @return the stream, once the remote accepted the protocol and the data was handed to the muxer
   * @throws IllegalArgumentException when the ID is blank, contains a newline or is longer than
   *     1000 characters
   */
  default CompletableFuture<Stream> newStreamWithData(
      PeerId peer, String protocol, byte[] data, boolean closeWrite) {
    byte[] copy = data.clone();
    return newStream(peer, List.of(protocol))
        .thenCompose(s -> FirstWrite.send(s, copy, closeWrite));
  }

  /**
   * Dials {@code address} (reusing a connection) and opens a stream as in {@link #newStream(PeerId,
   * List)}.
   */
  CompletableFuture<Stream> newStream(Multiaddr address, List<String> protocols);

  /** Opens a stream for {@code binding} to {@code address} and runs its initiator. */
  <C> CompletableFuture<C> newStream(Multiaddr address, ProtocolBinding<C> binding);

  /** Opens a stream for {@code binding} on {@code connection} and runs its initiator. */
  <C> CompletableFuture<C> newStream(Connection connection, ProtocolBinding<C> binding);

  /**
   * Serves inbound streams of {@code protocol} with {@code handler}, replacing an earlier handler.
   * Connected peers learn the change through identify push.
   *
   * @throws IllegalArgumentException when the protocol ID is blank or contains a newline
   */
  void setStreamHandler(String protocol, StreamHandler handler);

  /**
   * Serves inbound streams of {@code protocol} with {@code handler} and the given options (for
   * example {@link HandlerOptions#LIMITED_OK} to run it on limited relayed connections too),
   * replacing an earlier handler. {@link #setStreamHandler(String, StreamHandler)} uses {@link
   * HandlerOptions#DEFAULT}.
   *
   * @throws IllegalArgumentException when the protocol ID is blank or contains a newline
   */
  void setStreamHandler(String protocol, StreamHandler handler, HandlerOptions options);

  /**
   * Serves every protocol ID of {@code binding} with its responder, on limited connections too
   * when {@link ProtocolBinding#runOnLimitedConnection()}.
   */
  void addProtocol(ProtocolBinding<?> binding);

  /** Stops serving {@code protocol}; later proposals of it are answered {@code na}. */
  void removeStreamHandler(String protocol);

  /** The protocol IDs this host serves. */
  List<String> protocols();

  /** The open connections. */
  List<Connection> connections();

  /** The open connections to {@code peer}. */
  List<Connection> connections(PeerId peer);

  /**
   * Whether at least one upgraded connection to {@code peer} is open now. Becomes true when the
   * connection is registered, which is before {@link HostListener#peerConnected} runs, and false
   * when the last connection's channel closed, before {@link HostListener#peerDisconnected} runs.
   */
  boolean isConnected(PeerId peer);

  /**
   * A snapshot of the peers with at least one open connection, as {@link #isConnected} sees them.
   */
  Set<PeerId> connectedPeers();

  /**
   * Closes every connection to {@code peer} gracefully: Yamux GoAway (no new streams either way),
   * then the transport close; open streams end with {@link ConnectionClosedException}. The future
   * completes (on the callback executor) when all of them are closed and their {@link
   * HostListener#connectionClosed} events were delivered; at once when the peer is not connected.
   * Dials to the peer still under way are not affected. It never fails.
   */
  CompletableFuture<Void> disconnect(PeerId peer);

  /**
   * What {@code peer} reported in identify on one of its open connections: completes at once when
   * identify (or an identify push) already completed on an open connection (with the most recent
   * message), else when it next completes on one. Fails with {@link ConnectionClosedException} when
   * the peer is not connected or its last connection closes first, with the identify error (for
   * example {@link java.util.concurrent.TimeoutException} after the identify timeout, or {@link
   * ProtocolNotSupportedException}) when identify failed on every open connection, and with {@link
   * ConnectionClosedException} when the host closes. Completes on the callback executor.
   */
  CompletableFuture<IdentifyInfo> identified(PeerId peer);

  /**
   * Protects {@code peer} with {@code tag}: while a peer has at least one protection tag, the
   * connection trimmer never closes its connections (other closes, by either side or by {@link
   * #disconnect}, still happen). Tags are kept whether or not the peer is connected, until {@link
   * #unprotect}; adding a tag twice is the same as once.
   *
   * @throws IllegalArgumentException when {@code tag} is blank
   */
  void protect(PeerId peer, String tag);

  /**
   * Removes protection {@code tag} from {@code peer}.
   *
   * @return whether the peer is still protected, by another tag
   * @throws IllegalArgumentException when {@code tag} is blank
   */
  boolean unprotect(PeerId peer, String tag);

  /**
   * Sets the value of {@code tag} on {@code peer}, replacing an earlier value of the same tag. The
   * trimmer closes the connections of the peers with the lowest total value first; among equal
   * values, idle connections (no open stream) before busy ones, then the oldest first; a peer
   * without tags has the value 0. Kept whether or not the peer is connected, until {@link
   * #untagPeer}.
   *
   * @throws IllegalArgumentException when {@code tag} is blank
   */
  void tagPeer(PeerId peer, String tag, int value);

  /**
   * Removes {@code tag} from {@code peer}; nothing happens when the peer has no such tag.
   *
   * @throws IllegalArgumentException when {@code tag} is blank
   */
  void untagPeer(PeerId peer, String tag);

  /**
   * A snapshot of this host's numbers for metrics: open connections by direction, open streams and
   * bytes per protocol, refused streams, gated connections per gater method, trimmed connections,
   * and the callback executor's rejections. Cheap enough to call every few seconds (one walk over
   * the open connections and streams).
   */
  HostStats stats();

  /** What this host knows about other peers. */
  PeerStore peerStore();

  /** Adds a listener; see {@link HostListener} for its threading rules. */
  void addListener(HostListener listener);

  /** Removes a listener added before. */
  void removeListener(HostListener listener);

  /**
   * The executor on which this host runs handlers and listeners and completes its futures. Services
   * built on a host (such as the DHT) deliver their own user callbacks here, so user code never runs
   * on a network or service thread. Owned by the host: do not shut it down.
   */
  java.util.concurrent.Executor callbackExecutor();
}
