package org.lotusia.libp2p.internal.host;

import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.identify.Identify;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.record.PeerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's use of identify: builds the local message (with a signed peer record, re-signed only
 * when the listen addresses change), runs identify on new connections, pushes changes, and stores
 * what peers report.
 *
 * <p>Thread-safe: the record cache is guarded by {@code this}; the rest is in concurrent
 * collections.
 */
final class HostIdentify {

  private static final Logger LOG = LoggerFactory.getLogger(HostIdentify.class);
  private final HostImpl host;
  private final Identify identify;
  private List<Multiaddr> recordAddrs;
  private byte[] recordBytes;
  private long recordSeq;

  HostIdentify(HostImpl host) {
    this.host = host;
    this.identify = new Identify(this::localInfo, host.config().maxIdentifyMessage());
  }

  /** The identify bindings. */
  Identify protocol() {
    return identify;
  }

  private IdentifyInfo localInfo() {
    List<Multiaddr> addrs = host.addressBook().advertisedRaw();
    return new IdentifyInfo(
        Identify.PROTOCOL_VERSION,
        host.config().agentVersion(),
        host.identity().publicKey(),
        addrs,
        Optional.empty(),
        host.protocols(),
        Optional.of(signedRecord(addrs)));
  }

  /** The signed peer record of {@code addrs}, re-signed only when the addresses change. */
  private synchronized byte[] signedRecord(List<Multiaddr> addrs) {
    if (recordBytes == null || !addrs.equals(recordAddrs)) {
      long seq = Math.max(recordSeq + 1, host.config().clock().millis());
      recordBytes = new PeerRecord(host.peerId(), seq, addrs).seal(host.identity()).toBytes();
      recordAddrs = List.copyOf(addrs);
      recordSeq = seq;
    }
    return recordBytes;
  }

  /**
   * Asks the remote of {@code conn} for its identify message, within the identify timeout (the
   * stream is reset when it passes). May be called on any thread; nothing here blocks.
   */
  void run(ConnectionImpl conn) {
    CompletableFuture<IdentifyInfo> result = new CompletableFuture<>();
    Duration timeout = host.config().identifyTimeout();
    ScheduledFuture<?> timer =
        conn.channel()
            .eventLoop()
            .schedule(
                () ->
                    result.completeExceptionally(
                        new TimeoutException(
                            "identify with " + conn.remotePeer() + " took longer than " + timeout)),
                timeout.toNanos(),
                TimeUnit.NANOSECONDS);
    conn.newStream(List.of(Identify.PROTOCOL_ID))
        .whenComplete(
            (stream, error) -> {
              if (error != null) {
                result.completeExceptionally(error);
                return;
              }
              // A late stream (after the timeout) is reset; otherwise it is reset when time runs
              // out.
              result.whenComplete(
                  (i, e) -> {
                    if (e != null) {
                      stream.reset();
                    }
                  });
              CompletableFuture<IdentifyInfo> answer;
              try {
                answer = identify.query().initiate(stream);
              } catch (RuntimeException e) {
                answer = CompletableFuture.failedFuture(e);
              }
              answer.whenComplete(
                  (info, e) -> {
                    if (e != null) {
                      result.completeExceptionally(e);
                    } else {
                      result.complete(info);
                    }
                  });
            });
    result.whenComplete(
        (info, error) -> {
          timer.cancel(false);
          if (error != null) {
            Throwable cause = HostImpl.unwrap(error);
            LOG.debug("identify with {} failed: {}", conn.remotePeer(), cause.toString());
            host.identification().failed(conn, cause);
          } else {
            onIdentify(conn, info);
          }
        });
  }

  /** Stores what a peer reported and tells the listeners and the identified waiters. */
  void onIdentify(Connection conn, IdentifyInfo info) {
    PeerId peer = conn.remotePeer();
    host.peerStore().putPublicKey(peer, info.publicKey());
    host.peerStore().addAddresses(peer, info.listenAddrs(), host.config().addressTtl());
    host.peerStore().setProtocols(peer, info.protocols());
    host.peerStore().setAgentVersion(peer, info.agentVersion());
    if (!conn.remoteAddress().has(org.lotusia.libp2p.MultiaddrProtocol.P2P_CIRCUIT)) {
      // a relayed connection's observed address is the relay's view of a circuit: not ours
      info.observedAddr().ifPresent(a -> host.addressBook().observed(a, peer));
    }
    host.events().identifyCompleted(conn, info);
    if (conn instanceof ConnectionImpl impl) {
      host.identification().succeeded(impl, info);
    }
  }

  /** Sends our current identify message to every connected peer. */
  void pushToAll() {
    for (ConnectionImpl c : host.openConnections()) {
      host.newStream(c, identify.push((x, y) -> {}))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
                }
              });
    }
  }
}
