package org.lotusia.libp2p.protocol.kad;

/**
 * A well-formed PUT_VALUE this node refuses (invalid record, inbound filter, a preferred stored
 * record, a store limit). The stream is reset, as js-libp2p and go-libp2p do, so the sender sees
 * the put fail; unlike a protocol violation it says nothing bad about the sender.
 */
final class RecordRefusedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RecordRefusedException(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
