package org.lotusia.libp2p.internal.host;

import java.util.List;
import org.lotusia.libp2p.StreamMuxer;
import org.lotusia.libp2p.internal.yamux.YamuxConfig;
import org.lotusia.libp2p.internal.yamux.YamuxHandler;

/** {@code /yamux/1.0.0} as the host's {@link StreamMuxer}, with its limits. */
public final class YamuxChannelMuxer implements StreamMuxer {

  private final YamuxConfig config;

  /** Yamux with default limits. */
  public YamuxChannelMuxer() {
    this(YamuxConfig.DEFAULT);
  }

  /** Yamux with the given limits. */
  public YamuxChannelMuxer(YamuxConfig config) {
    this.config = config;
  }

  /** The limits new sessions use. */
  public YamuxConfig config() {
    return config;
  }

  @Override
  public List<String> protocolIds() {
    return List.of(YamuxHandler.PROTOCOL_ID);
  }

  @Override
  public String toString() {
    return "yamux";
  }
}
