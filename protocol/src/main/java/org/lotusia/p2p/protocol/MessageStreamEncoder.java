package org.lotusia.p2p.protocol;

import java.util.Objects;

/**
 * Sender side of {@code /lotus/message/1.0.0}: the bytes to write on a new stream, after which the
 * sender closes its write side (that close is the end-of-message marker; there is no length
 * prefix).
 *
 * <p>Immutable and thread-safe.
 */
public final class MessageStreamEncoder {

  private final P2PProtocol protocol;

  /**
   * Creates an encoder.
   *
   * @param protocol serializes the message and enforces the size cap
   */
  public MessageStreamEncoder(P2PProtocol protocol) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
  }

  /**
   * The bytes to write, all of them, before closing the stream for writing.
   *
   * @param message the message
   * @return UTF-8 JSON bytes, byte-identical to lotus-sdk's
   * @throws IllegalArgumentException if the message exceeds the protocol's size cap
   */
  public byte[] encode(P2PMessage message) {
    return protocol.serialize(message);
  }
}
