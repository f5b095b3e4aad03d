package org.lotusia.libp2p.stack;

import org.lotusia.libp2p.Transport;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.lotusia.libp2p.internal.transport.MemoryTransport;
import org.lotusia.libp2p.internal.transport.TcpTransport;
import org.lotusia.libp2p.internal.transport.WebSocketTransport;

/**
 * The transports a host can use, for {@link org.lotusia.libp2p.HostBuilder#transports}. All run the
 * same upgrade path (multistream-select, security, muxer). A host with several transports uses, for
 * each address, the first one that can handle it: {@code .../tcp/<port>} goes to TCP, {@code
 * .../tcp/<port>/ws} to WebSocket.
 *
 * <p>Each call returns a new, stateless handle; handles may be shared between hosts.
 */
public final class Transports {

  private Transports() {}

  /**
   * TCP over {@code /ip4|/ip6|/dns*} plus {@code /tcp/<port>}; port 0 binds an ephemeral port. Uses
   * native epoll where available, NIO otherwise. With port reuse; see {@link #tcp(boolean)}.
   */
  public static Transport tcp() {
    return new TcpTransport();
  }

  /**
   * TCP as {@link #tcp()}, with or without port reuse. With it (the default) listeners set {@code
   * SO_REUSEPORT} and dials leave from the listen port where they can, so peers observe the listen
   * port's NAT mapping: needed for DCUtR hole punching and for observed addresses to be dialable.
   * Without it dials use ephemeral ports, and hole punching through NAT fails.
   */
  public static Transport tcp(boolean portReuse) {
    return new TcpTransport(portReuse);
  }

  /**
   * WebSocket over TCP, {@code /ip4|/ip6|/dns*}{@code /<host>/tcp/<port>/ws}, with the limits of
   * {@link WebSocketOptions#DEFAULT}. libp2p bytes travel in binary frames; text frames are
   * refused. Listen addresses report the bound port and end in {@code /ws}. Secure WebSocket
   * ({@code /wss}, {@code /tls/ws}, {@code /tls/sni/<name>/ws}) can be dialled, verifying the
   * server against the JDK's trust store; listening on it needs a certificate, see {@link
   * #websocket(WebSocketOptions, WebSocketTls)}.
   */
  public static Transport websocket() {
    return websocket(WebSocketOptions.DEFAULT);
  }

  /** WebSocket over TCP with the given limits; see {@link #websocket()}. */
  public static Transport websocket(WebSocketOptions options) {
    return new WebSocketTransport(options);
  }

  /**
   * WebSocket over TCP with the given limits, and TLS for {@code /wss}: the server certificate of
   * {@code tls} for listeners, its trust for dials (the JDK's trust store unless it names
   * another). Plain {@code /ws} works alongside, unchanged. Listeners report addresses with the
   * suffix they were given ({@code /wss} or {@code /tls/ws}).
   *
   * @throws IllegalArgumentException when {@code tls} cannot make a TLS context
   */
  public static Transport websocket(WebSocketOptions options, WebSocketTls tls) {
    return new WebSocketTransport(options, tls);
  }

  /**
   * An in-process transport (Netty local channels) for tests and simulations. Its addresses look
   * like {@code /ip4/127.0.0.1/tcp/<n>} in a process-wide port space of their own, from 20000 up; it
   * claims a dial only when the address is registered in this process, so list it before TCP when
   * a host uses both.
   */
  public static Transport memory() {
    return new MemoryTransport();
  }
}
