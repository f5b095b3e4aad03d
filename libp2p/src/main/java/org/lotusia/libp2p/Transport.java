package org.lotusia.libp2p;

import org.lotusia.libp2p.internal.transport.MemoryTransport;
import org.lotusia.libp2p.internal.transport.TcpTransport;
import org.lotusia.libp2p.internal.transport.WebSocketTransport;

/**
 * A way to open raw byte connections, selected by {@link HostBuilder#transports(Transport...)}.
 *
 * <p>Implementations live inside the library: {@link #tcp()}, {@link #websocket()} and {@link
 * #memory()}. All run the same upgrade path (multistream-select, security, muxer). A host with
 * several transports uses, for each address, the first one that can handle it: {@code
 * .../tcp/<port>} goes to TCP, {@code .../tcp/<port>/ws} to WebSocket.
 */
public interface Transport {

  /** A short name for logs, e.g. {@code tcp}. */
  String name();

  /** Whether this transport can dial {@code address}. */
  boolean canDial(Multiaddr address);

  /** Whether this transport can listen on {@code address}. */
  boolean canListen(Multiaddr address);

  /**
   * TCP over {@code /ip4|/ip6|/dns*} plus {@code /tcp/<port>}; port 0 binds an ephemeral port. Uses
   * native epoll where available, NIO otherwise.
   */
  static Transport tcp() {
    return new TcpTransport();
  }

  /**
   * TCP as {@link #tcp()}, with or without port reuse. With it (the default) listeners set {@code
   * SO_REUSEPORT} and dials leave from the listen port where they can, so peers observe the listen
   * port's NAT mapping: needed for DCUtR hole punching and for observed addresses to be dialable.
   * Without it dials use ephemeral ports, and hole punching through NAT fails.
   */
  static Transport tcp(boolean portReuse) {
    return new TcpTransport(portReuse);
  }

  /**
   * WebSocket over TCP, {@code /ip4|/ip6|/dns*}{@code /<host>/tcp/<port>/ws}, with the limits of
   * {@link WebSocketOptions#DEFAULT}. libp2p bytes travel in binary frames; text frames are
   * refused. Listen addresses report the bound port and end in {@code /ws}. Secure WebSocket
   * ({@code /wss}, {@code /tls/ws}) is not supported: dialing or listening on such an address fails
   * with {@link IllegalArgumentException}.
   */
  static Transport websocket() {
    return websocket(WebSocketOptions.DEFAULT);
  }

  /** WebSocket over TCP with the given limits; see {@link #websocket()}. */
  static Transport websocket(WebSocketOptions options) {
    return new WebSocketTransport(options);
  }

  /**
   * An in-process transport (Netty local channels) for tests and simulations. Its addresses look
   * like {@code /ip4/127.0.0.1/tcp/<n>} in a process-wide port space of their own; see {@link
   * MemoryTransport}.
   */
  static Transport memory() {
    return new MemoryTransport();
  }
}
