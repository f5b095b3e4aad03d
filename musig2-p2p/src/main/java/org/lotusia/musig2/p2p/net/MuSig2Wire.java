package org.lotusia.musig2.p2p.net;

import org.lotusia.musig2.p2p.wire.MessageType;

/** Protocol IDs and envelope types the coordinator wiring uses on the wire. */
public final class MuSig2Wire {

  /**
   * lotus-sdk's MuSig2 stream protocol (it dials joins and join acknowledgements here): one
   * {@code P2PMessage} JSON object per stream, ended by the sender's write-close, as on {@code
   * /lotus/message/1.0.0}. Served on limited (relayed) connections too, and used to reach a peer
   * whose only connection is limited.
   */
  public static final String PROTOCOL_ID = "/lotus/musig2/1.0.0";

  /** The routing key of session messages in the envelope's {@code protocol} field. */
  public static final String PROTOCOL_NAME = MessageType.PROTOCOL;

  /**
   * A message the session creator forwards for another signer: the forwarder's own envelope whose
   * payload is the original envelope, unchanged. Needed because the coordinator binds {@code from}
   * to the peer that delivers a message; the session layer authenticates the inner message by its
   * signer's signature.
   */
  public static final String RELAY_TYPE = "musig2:relay";

  private MuSig2Wire() {}
}
