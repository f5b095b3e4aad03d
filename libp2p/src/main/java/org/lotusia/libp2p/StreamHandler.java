package org.lotusia.libp2p;

/**
 * Serves inbound streams of one protocol, registered with {@link Host#setStreamHandler}.
 *
 * <p>Threading: called on the host's callback executor after multistream-select agreed on the
 * protocol. A handler that throws gets its stream reset; the host keeps serving.
 */
@FunctionalInterface
public interface StreamHandler {

  /** Takes ownership of a newly negotiated inbound stream. */
  void handle(Stream stream);
}
