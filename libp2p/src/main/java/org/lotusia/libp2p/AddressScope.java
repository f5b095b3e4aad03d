package org.lotusia.libp2p;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where an address can be reached from, judged from its first IP component: the loopback interface,
 * a private network (RFC 1918, RFC 4193 unique-local, RFC 6598 shared/CGNAT, link-local), or the
 * public internet. AutoNAT, DCUtR and the address manager use it to decide what to test, dial and
 * advertise.
 *
 * <p>The RFC 5737 documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) and RFC 3849
 * (2001:db8::/32) count as public: they are never routed on the internet, so test networks (such as
 * network namespaces) use them to model public hosts without touching anybody's real address.
 * Addresses without an IP ({@code /dns4/...}) are {@link #UNKNOWN}.
 */
public enum AddressScope {
  /** 127.0.0.0/8, ::1. */
  LOOPBACK,
  /** RFC 1918, 100.64.0.0/10, 169.254.0.0/16, fc00::/7, fe80::/10, 0.0.0.0 and ::. */
  PRIVATE,
  /** Any other unicast IP. */
  PUBLIC,
  /** No IP component (DNS names, circuits without a relay address). */
  UNKNOWN;

  /** The scope of {@code address}'s first {@code /ip4} or {@code /ip6} component. */
  public static AddressScope of(Multiaddr address) {
    return ip(address).map(AddressScope::of).orElse(UNKNOWN);
  }

  /** The scope of an IP address. */
  public static AddressScope of(InetAddress ip) {
    if (ip.isLoopbackAddress()) {
      return LOOPBACK;
    }
    if (ip.isAnyLocalAddress()
        || ip.isLinkLocalAddress()
        || ip.isSiteLocalAddress()
        || ip.isMulticastAddress()) {
      return PRIVATE;
    }
    byte[] b = ip.getAddress();
    if (ip instanceof Inet4Address) {
      int a0 = b[0] & 0xff;
      int a1 = b[1] & 0xff;
      if (a0 == 100 && a1 >= 64 && a1 < 128) {
        return PRIVATE; // RFC 6598 shared address space (carrier-grade NAT)
      }
      if (a0 == 0 || a0 >= 240) {
        return PRIVATE; // "this network" and reserved/broadcast
      }
    } else if (ip instanceof Inet6Address) {
      if ((b[0] & 0xfe) == 0xfc) {
        return PRIVATE; // RFC 4193 unique local
      }
    }
    return PUBLIC;
  }

  /** Whether {@code address} has a public IP. */
  public static boolean isPublic(Multiaddr address) {
    return of(address) == PUBLIC;
  }

  /** The first {@code /ip4} or {@code /ip6} value of {@code address} as an IP, if any. */
  public static Optional<InetAddress> ip(Multiaddr address) {
    for (Multiaddr.Component c : address.components()) {
      if (c.protocol() == MultiaddrProtocol.IP4 || c.protocol() == MultiaddrProtocol.IP6) {
        try {
          return Optional.of(InetAddress.getByAddress(c.valueBytes()));
        } catch (UnknownHostException e) {
          return Optional.empty();
        }
      }
      if (c.protocol() == MultiaddrProtocol.P2P_CIRCUIT) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** Whether both addresses have an IP and it is the same. */
  public static boolean sameIp(Multiaddr a, Multiaddr b) {
    Optional<InetAddress> x = ip(a);
    return x.isPresent() && x.equals(ip(b));
  }
}
