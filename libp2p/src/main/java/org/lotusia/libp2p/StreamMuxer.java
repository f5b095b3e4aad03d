package org.lotusia.libp2p;

import java.util.List;
import org.lotusia.libp2p.stack.StreamMuxers;

/**
 * A stream multiplexer negotiated after security.
 *
 * <p>A handle, not an extension point: the implementation comes from {@link StreamMuxers} ({@code
 * yamux()}), and {@link HostBuilder#muxer} refuses any other with {@link IllegalArgumentException}.
 */
public interface StreamMuxer {

  /** The multistream protocol IDs of this muxer. */
  List<String> protocolIds();

  /**
   * Yamux.
   *
   * @deprecated use {@link StreamMuxers#yamux()}
   */
  @Deprecated
  static StreamMuxer yamux() {
    return StreamMuxers.yamux();
  }
}
