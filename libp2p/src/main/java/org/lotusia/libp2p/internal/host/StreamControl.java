package org.lotusia.libp2p.internal.host;

import io.netty.channel.Channel;

/**
 * The muxer-specific operations on a stream's child channel that Netty's {@link Channel} does not
 * name: half-close and reset. Implemented by the muxer adapter.
 */
public interface StreamControl {

  /** Sends the muxer's half-close (FIN) for {@code stream}; completes the returned Netty future. */
  io.netty.channel.ChannelFuture closeWrite(Channel stream);

  /** Resets {@code stream} (RST) and closes it. */
  void reset(Channel stream);

  /** Whether {@code stream} was reset (by either side). */
  boolean isReset(Channel stream);
}
