package org.lotusia.libp2p;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One negotiable protocol: the IDs it answers to and an entry point for each side, each returning a
 * typed controller. Application protocols (ping, perf, identify, and any protocol an application
 * adds) implement this over a {@link Stream}; the host negotiates one of {@link #protocolIds()}
 * with multistream-select and then calls {@link #initiate(Stream)} or {@link #respond(Stream)}.
 *
 * <p>The security and muxer layers follow the same shape inside the host (see {@link SecureChannel}
 * and {@link StreamMuxer}): a list of IDs plus initiator and responder entry points.
 *
 * @param <C> the controller type handed to the initiating caller, e.g. a ping session
 */
public interface ProtocolBinding<C> {

  /** The protocol IDs in order of preference; never empty. */
  List<String> protocolIds();

  /**
   * Whether the protocol may run on limited (relayed) connections; see {@link HandlerOptions}. The
   * default is {@code false}: application protocols do not fit a relay's time and data limits.
   */
  default boolean runOnLimitedConnection() {
    return false;
  }

  /**
   * Starts the protocol on a stream this host opened. Called on the callback executor.
   *
   * @return the controller; failing it resets the stream
   */
  CompletableFuture<C> initiate(Stream stream);

  /**
   * Serves a stream the remote opened. Called on the callback executor.
   *
   * @return the controller, completing when the responder is set up; failing it resets the stream
   */
  CompletableFuture<C> respond(Stream stream);
}
