package org.lotusia.p2p.coordinator.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;

/**
 * The address rules of {@code getReachableAddresses()}: relay addresses first, else
 * public addresses, else whatever the node listens on. "Public" excludes loopback, link-local,
 * unspecified, RFC 1918, carrier-grade NAT (100.64/10) and IPv6 unique-local addresses (lotus-sdk
 * forgot the last two).
 */
public final class Addresses {

  private Addresses() {}

  /**
   * The {@code /p2p-circuit} addresses of a host.
   *
   * @param host the host
   * @return the relay addresses
   */
  public static List<String> relay(Host host) {
    List<String> out = new ArrayList<>();
    for (Multiaddr m : host.advertisedAddresses()) {
      if (m.toString().contains("/p2p-circuit")) {
        out.add(m.toString());
      }
    }
    return out;
  }

  /**
   * Relay addresses when there are any, else public addresses, else all listen addresses.
   *
   * @param host the host
   * @return the addresses
   */
  public static List<String> reachable(Host host) {
    List<String> relay = relay(host);
    if (!relay.isEmpty()) {
      return relay;
    }
    List<String> all = new ArrayList<>();
    List<String> pub = new ArrayList<>();
    for (Multiaddr m : host.advertisedAddresses()) {
      all.add(m.toString());
      if (isPublic(m.toString())) {
        pub.add(m.toString());
      }
    }
    return pub.isEmpty() ? all : pub;
  }

  /**
   * Whether an address's IP is publicly routable.
   *
   * @param multiaddr the address text
   * @return false for private, local and non-IP addresses
   */
  static boolean isPublic(String multiaddr) {
    String[] parts = multiaddr.split("/");
    if (parts.length < 3 || !(parts[1].equals("ip4") || parts[1].equals("ip6"))) {
      return parts.length >= 3 && parts[1].startsWith("dns");
    }
    InetAddress ip;
    try {
      ip = InetAddress.getByName(parts[2]); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
    byte[] b = ip.getAddress();
    boolean cgnat = b.length == 4 && (b[0] & 0xFF) == 100 && (b[1] & 0xC0) == 64;
    boolean ula = b.length == 16 && (b[0] & 0xFE) == 0xFC;
    return !(ip.isAnyLocalAddress()
        || ip.isLoopbackAddress()
        || ip.isLinkLocalAddress()
        || ip.isSiteLocalAddress()
        || ip.isMulticastAddress()
        || cgnat
        || ula);
  }
}
