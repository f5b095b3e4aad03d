package org.lotusia.p2p.protocol;

/**
 * The end of decoding one {@code /lotus/message/1.0.0} stream: a parsed message or a failure with a
 * reason.
 */
public sealed interface DecodeResult permits DecodeResult.Decoded, DecodeResult.Failed {

  /**
   * Bytes received on the stream (up to the point of abort for a failure).
   *
   * @return the byte count
   */
  int bytesReceived();

  /**
   * A message was parsed. It is not validated yet.
   *
   * @param message the message
   * @param bytesReceived size of its JSON text in bytes
   */
  record Decoded(P2PMessage message, int bytesReceived) implements DecodeResult {}

  /**
   * The stream was rejected; the stream should be aborted (reset) with {@link #detail()} as reason
   * unless the failure is {@link DecodeFailure#EMPTY}, which lotus-sdk ignores.
   *
   * @param failure class of problem
   * @param detail what exactly was wrong
   * @param bytesReceived bytes received until the decoder stopped
   */
  record Failed(DecodeFailure failure, String detail, int bytesReceived) implements DecodeResult {}
}
