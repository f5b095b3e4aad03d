package org.lotusia.libp2p;

/**
 * How the host serves one protocol, given with {@link Host#setStreamHandler(String, StreamHandler,
 * HandlerOptions)}.
 *
 * <p>Limited connections (relayed connections with a time or data limit, see {@link
 * Connection#limits()}) carry only protocols marked {@code runOnLimitedConnection}: on such a
 * connection the host answers {@code na} to proposals of other protocols and refuses to open
 * streams for them (unless the caller of {@link Connection#newStream(java.util.List, boolean)}
 * opts in), as js-libp2p does. Identify, identify push, ping and the relay's stop protocol
 * are marked; application protocols are not unless they ask, because a relay cuts a limited
 * connection after a few seconds or kilobytes.
 *
 * @param runOnLimitedConnection whether the protocol may run on limited connections
 */
public record HandlerOptions(boolean runOnLimitedConnection) {

  /** Not on limited connections: the default for application protocols. */
  public static final HandlerOptions DEFAULT = new HandlerOptions(false);

  /** Also on limited connections. */
  public static final HandlerOptions LIMITED_OK = new HandlerOptions(true);
}
