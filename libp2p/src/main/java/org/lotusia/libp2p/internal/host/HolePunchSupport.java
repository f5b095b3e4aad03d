package org.lotusia.libp2p.internal.host;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.AddressScope;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.transport.TcpAddress;

/**
 * What hole punching (DCUtR) needs from the host: dials that leave from the listen port with a
 * chosen security role, and the role of inbound connections that are the other side's hole punch.
 *
 * <p>In a TCP simultaneous open both sides dial, and the spec makes the side that received SYNC
 * the client of every protocol above TCP. When one side's SYN reaches the other's listener instead
 * (no NAT in between, or a NAT that let it through), the listener must run the client role on that
 * inbound connection: {@link #expectInbound} tells it, for a short window, which remote addresses to
 * treat so.
 *
 * <p>Thread-safe: expectations live in a concurrent map; each one expires.
 */
public final class HolePunchSupport {

  private record Expectation(PeerId peer, List<Multiaddr> addresses, long untilNanos) {}

  private final HostImpl host;
  private final Map<PeerId, Expectation> expected = new ConcurrentHashMap<>();

  HolePunchSupport(HostImpl host) {
    this.host = host;
  }

  /**
   * Dials {@code peer} at {@code address} for a hole punch: a new connection, from the listen port
   * when the transport reuses ports, with this side as the security initiator when {@code
   * initiator}. The connection is registered like any other; the future completes on the callback
   * executor.
   */
  public CompletableFuture<Connection> dial(
      Multiaddr address, PeerId peer, boolean initiator, Duration timeout) {
    return host.dialer().dialForHolePunch(address, peer, initiator, timeout);
  }

  /**
   * Treats inbound connections from {@code addresses} (same IP and port; or same IP when no port
   * matches) as {@code peer}'s hole punch for {@code window}: this side runs the client role on them.
   */
  public void expectInbound(PeerId peer, List<Multiaddr> addresses, Duration window) {
    expected.put(
        peer, new Expectation(peer, List.copyOf(addresses), System.nanoTime() + window.toNanos()));
  }

  /** Ends the window of {@link #expectInbound} for {@code peer}. */
  public void endExpectation(PeerId peer) {
    expected.remove(peer);
  }

  /** The peer whose hole punch an inbound connection from {@code remote} is, or {@code null}. */
  PeerId expectedInbound(SocketAddress remote) {
    if (expected.isEmpty() || !(remote instanceof InetSocketAddress socket)) {
      return null;
    }
    long now = System.nanoTime();
    expected.values().removeIf(e -> now - e.untilNanos() > 0);
    InetAddress ip = socket.getAddress();
    PeerId ipOnly = null;
    for (Expectation e : expected.values()) {
      for (Multiaddr a : e.addresses()) {
        var tcp = TcpAddress.of(a);
        var aIp = AddressScope.ip(a);
        if (tcp.isEmpty() || aIp.isEmpty() || !aIp.get().equals(ip)) {
          continue;
        }
        if (tcp.get().port() == socket.getPort()) {
          return e.peer();
        }
        ipOnly = e.peer();
      }
    }
    return ipOnly;
  }
}
