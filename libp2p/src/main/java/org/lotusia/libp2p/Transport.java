package org.lotusia.libp2p;

import org.lotusia.libp2p.internal.transport.MemoryTransport;
import org.lotusia.libp2p.internal.transport.TcpTransport;

/**
 * A way to open raw byte connections, selected by {@link HostBuilder#transports(Transport...)}.
 *
 * <p>Implementations live inside the library: {@link #tcp()} and {@link #memory()}. Both run the same
 * upgrade path (multistream-select, security, muxer).
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
   * An in-process transport (Netty local channels) for tests and simulations. Its addresses look like
   * {@code /ip4/127.0.0.1/tcp/<n>} in a process-wide port space of their own; see
   * {@link MemoryTransport}.
   */
  static Transport memory() {
    return new MemoryTransport();
  }
}
