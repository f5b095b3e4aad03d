package org.lotusia.libp2p.internal.host;

import io.netty.channel.ChannelPipeline;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.SecureChannel;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.noise.SecureSession;

/**
 * The Netty side of a {@link SecureChannel}: the security binding of the connection upgrade. Bound
 * to one host identity with {@link #bind}, it installs the responder or initiator handler after
 * multistream-select agreed on one of its protocol IDs.
 */
public interface ChannelSecurity extends SecureChannel {

  /**
   * Prepares the security protocol for one host. Called once at host start, off the event loop (it
   * may sign).
   *
   * @param identity the host's key
   * @param handshakeTimeout time a handshake may take
   * @param muxers the host's muxer IDs, for protocols that announce them
   */
  Bound bind(IdentityPrivateKey identity, Duration handshakeTimeout, List<String> muxers);

  /** A security protocol bound to a host identity; thread-safe. */
  interface Bound {

    /**
     * Adds the handshake handler at the end of {@code pipeline}. Called on the event loop from the
     * multistream-select installer.
     *
     * @param initiator whether this side dialled
     * @param expectedRemote the peer the dialer expects, or {@code null}
     * @return the session; completes on the event loop before decrypted bytes flow on
     */
    CompletableFuture<SecureSession> install(
        ChannelPipeline pipeline, boolean initiator, PeerId expectedRemote);
  }
}
