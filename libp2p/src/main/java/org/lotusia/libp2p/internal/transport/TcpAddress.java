package org.lotusia.libp2p.internal.transport;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import org.lotusia.libp2p.Multiaddr;

/**
 * A TCP endpoint read from a multiaddr of the form {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>},
 * optionally followed by {@code /p2p/<id>}.
 *
 * @param hostProtocol {@code ip4}, {@code ip6}, {@code dns}, {@code dns4} or {@code dns6}
 * @param host the address or name
 * @param port the port, 0 to 65535
 * @param rest what followed the port, e.g. {@code /p2p/...} or {@code /memory-transport}, or empty
 */
public record TcpAddress(String hostProtocol, String host, int port, String rest) {

  /** Reads the TCP endpoint of {@code address}, or empty when it is not a TCP address. */
  public static Optional<TcpAddress> of(Multiaddr address) {
    String[] parts = address.toString().split("/", -1);
    // "", proto, host, "tcp", port, ...
    if (parts.length < 5 || !parts[0].isEmpty() || !"tcp".equals(parts[3])) {
      return Optional.empty();
    }
    String proto = parts[1];
    if (!proto.equals("ip4") && !proto.equals("ip6") && !proto.startsWith("dns")) {
      return Optional.empty();
    }
    int port;
    try {
      port = Integer.parseInt(parts[4]);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (port < 0 || port > 65535) {
      return Optional.empty();
    }
    StringBuilder rest = new StringBuilder();
    for (int i = 5; i < parts.length; i++) {
      rest.append('/').append(parts[i]);
    }
    return Optional.of(new TcpAddress(proto, parts[2], port, rest.toString()));
  }

  /** The multiaddr of a socket address, {@code /ip4|ip6/<addr>/tcp/<port>}. */
  public static Multiaddr toMultiaddr(InetSocketAddress socket) {
    InetAddress ip = socket.getAddress();
    String proto = ip instanceof Inet6Address ? "ip6" : "ip4";
    String host = ip.getHostAddress();
    int zone = host.indexOf('%');
    if (zone >= 0) {
      host = host.substring(0, zone);
    }
    return Multiaddr.parse("/" + proto + "/" + host + "/tcp/" + socket.getPort());
  }

  /** This endpoint as an unresolved-or-literal socket address (names resolve at connect time). */
  public InetSocketAddress toSocketAddress() {
    return hostProtocol.startsWith("dns")
        ? InetSocketAddress.createUnresolved(host, port)
        : new InetSocketAddress(host, port);
  }

  /** The endpoint without anything after the port. */
  public String base() {
    return "/" + hostProtocol + "/" + host + "/tcp/" + port;
  }
}
