package org.lotusia.libp2p;

import java.util.List;
import org.lotusia.libp2p.internal.host.YamuxChannelMuxer;

/**
 * A stream multiplexer negotiated after security. The only implementation is {@link #yamux()}.
 */
public interface StreamMuxer {

  /** The multistream protocol IDs of this muxer. */
  List<String> protocolIds();

  /** Yamux ({@code /yamux/1.0.0}) with the default window and limits. */
  static StreamMuxer yamux() {
    return new YamuxChannelMuxer();
  }
}
