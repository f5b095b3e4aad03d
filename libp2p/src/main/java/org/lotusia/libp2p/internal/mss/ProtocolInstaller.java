package org.lotusia.libp2p.internal.mss;

import io.netty.channel.ChannelPipeline;

/**
 * Installs the handlers of the negotiated protocol. Called once, on the channel's event loop, after
 * the protocol was agreed and before any byte that followed the negotiation is passed on, so the
 * installed handlers see every application byte. Handlers should be added with {@link
 * ChannelPipeline#addLast} (the negotiation handler removes itself right after this call and
 * forwards the remaining bytes to the handler after it).
 */
@FunctionalInterface
public interface ProtocolInstaller {

  /**
   * Installs the handlers for {@code protocol}.
   *
   * @param protocol the agreed protocol id
   * @param pipeline the pipeline of the negotiated channel
   * @throws Exception any failure; the negotiation future fails with it and the channel is closed
   */
  void install(String protocol, ChannelPipeline pipeline) throws Exception;
}
