package org.lotusia.p2p.coordinator.internal;

import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.MessageStreamDecoder;

/**
 * Reads one lotus-sdk message from an inbound stream: refuses a banned peer's stream unread (the
 * security manager's connection check), then feeds the bounded decoder until it has a result (the
 * size cap, a first byte that cannot start an object, or the remote's write-close) and hands the
 * result over exactly once. A stream the remote resets delivers nothing.
 */
final class InboundMessages {

  private InboundMessages() {}

  /**
   * Starts reading.
   *
   * @param ctx the run
   * @param stream a new inbound stream
   * @param onResult receives the stream, the remote peer's ID and the decoder's result, on the
   *     stream's callback thread
   */
  static void read(Context ctx, Stream stream, Result onResult) {
    String remote = stream.connection().remotePeer().toBase58();
    if (!ctx.security().checkConnection(remote).accepted()) {
      stream.reset();
      return;
    }
    MessageStreamDecoder decoder = ctx.security().newStreamDecoder();
    stream.setReader(
        new StreamReader() {
          private boolean done;

          @Override
          public void onData(Stream s, byte[] chunk) {
            if (!done) {
              finish(s, decoder.onData(chunk));
            }
          }

          @Override
          public void onEnd(Stream s) {
            if (!done) {
              finish(s, decoder.onEndOfStream());
            }
          }

          @Override
          public void onError(Stream s, Throwable cause) {
            done = true; // the sender gave up: nothing was accepted
          }

          private void finish(Stream s, DecodeResult r) {
            if (r != null) {
              done = true;
              onResult.accept(s, remote, r);
            }
          }
        });
  }

  /** Receives the outcome of reading one message. */
  @FunctionalInterface
  interface Result {
    void accept(Stream stream, String remotePeerId, DecodeResult result);
  }
}
