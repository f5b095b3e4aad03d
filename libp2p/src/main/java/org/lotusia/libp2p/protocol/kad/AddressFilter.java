package org.lotusia.libp2p.protocol.kad;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;

/**
 * Chooses which peer addresses a {@link KadDht} keeps: the addresses it learns from answers and
 * stores in the peer store, the addresses it sends for other peers and for itself in its answers
 * and provider announcements. A peer left without any address is neither stored nor served, as
 * js-libp2p's {@code peerInfoMapper} does. Use {@link #PUBLIC} on a DHT of the public internet
 * (private addresses are useless there and leak the local network), {@link #ALL} (the default) on
 * a local or mixed network, or any predicate.
 *
 * <p>Called on the DHT's thread; must be fast, must not block (no DNS resolution) and must be
 * thread-safe.
 */
@FunctionalInterface
public interface AddressFilter {

  /** Keeps every address. */
  AddressFilter ALL = a -> true;

  /**
   * Keeps addresses that are not private: names ({@code /dns*}) and IP addresses outside the
   * loopback, private (RFC 1918, RFC 4193), link-local, carrier-grade NAT (RFC 6598) and
   * unspecified ranges.
   */
  AddressFilter PUBLIC = a -> !isPrivate(a);

  /** Keeps only private addresses (see {@link #PUBLIC}), for a network that must stay local. */
  AddressFilter PRIVATE = AddressFilter::isPrivate;

  /** Whether to keep {@code address}. */
  boolean accept(Multiaddr address);

  /**
   * Whether the first IP component of {@code address} is in a private, loopback, link-local,
   * carrier-grade NAT or unspecified range; names and addresses without an IP are not private.
   */
  static boolean isPrivate(Multiaddr address) {
    Optional<String> ip =
        address.valueOf(MultiaddrProtocol.IP4).or(() -> address.valueOf(MultiaddrProtocol.IP6));
    if (ip.isEmpty()) {
      return false;
    }
    InetAddress a;
    try {
      // a literal IP: no resolution happens
      a = InetAddress.getByName(ip.get());
    } catch (UnknownHostException e) {
      return false;
    }
    if (a.isLoopbackAddress()
        || a.isAnyLocalAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()) {
      return true;
    }
    byte[] b = a.getAddress();
    if (b.length == 4) {
      int first = b[0] & 0xff;
      int second = b[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128);
    }
    return (b[0] & 0xfe) == 0xfc; // fc00::/7, unique local
  }
}
