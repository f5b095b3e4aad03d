package org.lotusia.libp2p;

import org.lotusia.libp2p.stack.Transports;

/**
 * A way to open raw byte connections, selected by {@link HostBuilder#transports(Transport...)}.
 *
 * <p>A handle, not an extension point: the implementations come from {@link Transports} ({@code
 * tcp()}, {@code websocket()}, {@code memory()}), and {@link HostBuilder#transports} refuses any
 * other with {@link IllegalArgumentException}, because every transport must feed the host's one
 * Netty upgrade pipeline. A host with several transports uses, for each address, the first one
 * that can handle it.
 */
public interface Transport {

  /** A short name for logs, e.g. {@code tcp}. */
  String name();

  /** Whether this transport can dial {@code address}. */
  boolean canDial(Multiaddr address);

  /** Whether this transport can listen on {@code address}. */
  boolean canListen(Multiaddr address);

  /**
   * TCP with port reuse.
   *
   * @deprecated use {@link Transports#tcp()}
   */
  @Deprecated
  static Transport tcp() {
    return Transports.tcp();
  }

  /**
   * TCP with or without port reuse.
   *
   * @deprecated use {@link Transports#tcp(boolean)}
   */
  @Deprecated
  static Transport tcp(boolean portReuse) {
    return Transports.tcp(portReuse);
  }

  /**
   * WebSocket over TCP with the default limits.
   *
   * @deprecated use {@link Transports#websocket()}
   */
  @Deprecated
  static Transport websocket() {
    return Transports.websocket();
  }

  /**
   * WebSocket over TCP with the given limits.
   *
   * @deprecated use {@link Transports#websocket(WebSocketOptions)}
   */
  @Deprecated
  static Transport websocket(WebSocketOptions options) {
    return Transports.websocket(options);
  }

  /**
   * The in-process transport for tests and simulations.
   *
   * @deprecated use {@link Transports#memory()}
   */
  @Deprecated
  static Transport memory() {
    return Transports.memory();
  }
}
