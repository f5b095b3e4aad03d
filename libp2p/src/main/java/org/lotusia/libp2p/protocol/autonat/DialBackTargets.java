package org.lotusia.libp2p.protocol.autonat;

import java.util.Optional;
import org.lotusia.libp2p.AddressScope;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.transport.TcpAddress;

/**
 * Which requested addresses an AutoNAT server is willing to dial: TCP (or WebSocket over TCP) to an
 * IP literal, no circuit, no other peer's ID, public unless private addresses are allowed, and
 * the requester's observed IP unless dial data may pay for another (v2 only).
 */
final class DialBackTargets {

  /** The verdict about one requested address. */
  enum Kind {
    /** Same IP as observed: dial. */
    SAME_IP,
    /** Another IP: dial only after dial data (v2, when allowed). */
    OTHER_IP,
    /** Never dialled. */
    REFUSED
  }

  private DialBackTargets() {}

  /** Parses an address of a request; empty when it does not parse. */
  static Optional<Multiaddr> parse(byte[] bytes) {
    try {
      return Optional.of(Multiaddr.fromBytes(bytes));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Classifies {@code address} requested by {@code requester} seen at {@code observed}. */
  static Kind classify(
      Multiaddr address, PeerId requester, Multiaddr observed, boolean allowPrivate) {
    if (address.has(MultiaddrProtocol.P2P_CIRCUIT)) {
      return Kind.REFUSED;
    }
    Optional<PeerId> id = address.peerId();
    if (id.isPresent() && !id.get().equals(requester)) {
      return Kind.REFUSED;
    }
    Optional<TcpAddress> tcp = TcpAddress.of(address.withoutPeerId());
    if (tcp.isEmpty()
        || tcp.get().port() == 0
        || tcp.get().hostProtocol().startsWith("dns")
        || !(tcp.get().rest().isEmpty() || tcp.get().rest().equals("/ws"))) {
      return Kind.REFUSED;
    }
    AddressScope scope = AddressScope.of(address);
    if (scope != AddressScope.PUBLIC && !allowPrivate) {
      return Kind.REFUSED;
    }
    var ip = AddressScope.ip(address);
    var seen = AddressScope.ip(observed);
    if (ip.isEmpty() || seen.isEmpty() || ip.get().isAnyLocalAddress()) {
      return Kind.REFUSED;
    }
    if (ip.get().getClass() != seen.get().getClass()) {
      return Kind.REFUSED; // the requester reached us over the other IP family
    }
    return ip.get().equals(seen.get()) ? Kind.SAME_IP : Kind.OTHER_IP;
  }
}
