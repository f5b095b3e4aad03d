package org.lotusia.libp2p.internal.transport;

import java.net.URI;
import java.util.Optional;
import org.lotusia.libp2p.Multiaddr;

/**
 * A WebSocket endpoint read from a multiaddr: {@code <tcp>/ws}, or secure: {@code <tcp>/wss},
 * {@code <tcp>/tls/ws} or {@code <tcp>/tls/sni/<name>/ws}, each optionally followed by {@code
 * /p2p/<id>}.
 *
 * @param tcp the TCP endpoint
 * @param secure whether TLS runs under the WebSocket
 * @param sni the {@code /sni} name, or {@code null}
 * @param suffix what follows the TCP port, without {@code /p2p}: {@code /ws}, {@code /wss}, ...;
 *     listeners and connections report addresses with the suffix they were given
 */
record WsAddress(TcpAddress tcp, boolean secure, String sni, String suffix) {

  /** Reads a WebSocket endpoint; empty when {@code address} is none. */
  static Optional<WsAddress> of(Multiaddr address) {
    Optional<TcpAddress> t = TcpAddress.of(address);
    if (t.isEmpty()) {
      return Optional.empty();
    }
    String rest = t.get().rest();
    int p2p = rest.indexOf("/p2p/");
    if (p2p >= 0) {
      if (rest.indexOf('/', p2p + 5) >= 0) {
        return Optional.empty(); // nothing may follow the peer ID
      }
      rest = rest.substring(0, p2p);
    }
    switch (rest) {
      case "/ws":
        return Optional.of(new WsAddress(t.get(), false, null, rest));
      case "/wss":
      case "/tls/ws":
        return Optional.of(new WsAddress(t.get(), true, null, rest));
      default:
        if (rest.startsWith("/tls/sni/") && rest.endsWith("/ws")) {
          String name = rest.substring("/tls/sni/".length(), rest.length() - "/ws".length());
          if (!name.isEmpty() && name.indexOf('/') < 0) {
            return Optional.of(new WsAddress(t.get(), true, name, rest));
          }
        }
        return Optional.empty();
    }
  }

  /**
   * The name the server certificate must match (RFC 2818): the {@code /sni} name when given, else
   * the host (a DNS name or an IP literal).
   */
  String verifiedHost() {
    return sni != null ? sni : tcp.host();
  }

  /** The URI of the upgrade request. */
  URI uri() {
    String host = tcp.hostProtocol().equals("ip6") ? "[" + tcp.host() + "]" : tcp.host();
    return URI.create((secure ? "wss://" : "ws://") + host + ":" + tcp.port() + "/");
  }
}
