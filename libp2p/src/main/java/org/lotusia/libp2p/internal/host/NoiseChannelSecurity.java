package org.lotusia.libp2p.internal.host;

import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.noise.NoiseHandler;
import org.lotusia.libp2p.internal.noise.NoiseSecurity;
import org.lotusia.libp2p.internal.noise.SecureSession;

/** {@code /noise} as a {@link ChannelSecurity}; one {@link NoiseSecurity} per host. */
public final class NoiseChannelSecurity implements ChannelSecurity {

  @Override
  public List<String> protocolIds() {
    return List.of(NoiseSecurity.PROTOCOL_ID);
  }

  @Override
  public Bound bind(IdentityPrivateKey identity, Duration handshakeTimeout, List<String> muxers) {
    // Offering the muxers in the handshake lets a remote that offers them too skip
    // multistream-select for the muxer (early muxer negotiation; see Upgrader).
    NoiseSecurity noise =
        NoiseSecurity.builder(identity)
            .handshakeTimeout(handshakeTimeout)
            .streamMuxers(muxers)
            .build();
    return (pipeline, initiator, expected) -> install(noise, pipeline, initiator, expected);
  }

  private static CompletableFuture<SecureSession> install(
      NoiseSecurity noise, ChannelPipeline pipeline, boolean initiator, PeerId expected) {
    NoiseHandler handler = initiator ? noise.newInitiator(expected) : noise.newResponder();
    pipeline.addLast(NoiseHandler.NAME, handler);
    return handler.session();
  }

  @Override
  public String toString() {
    return "noise";
  }
}
