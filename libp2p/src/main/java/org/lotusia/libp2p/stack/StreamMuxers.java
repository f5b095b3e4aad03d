package org.lotusia.libp2p.stack;

import org.lotusia.libp2p.StreamMuxer;
import org.lotusia.libp2p.internal.host.YamuxChannelMuxer;

/**
 * The stream multiplexers a host can negotiate, for {@link org.lotusia.libp2p.HostBuilder#muxer}.
 * Each call returns a new, stateless handle.
 */
public final class StreamMuxers {

  private StreamMuxers() {}

  /** Yamux ({@code /yamux/1.0.0}) with the default window and limits; the default. */
  public static StreamMuxer yamux() {
    return new YamuxChannelMuxer();
  }
}
