package org.lotusia.libp2p;

import java.util.concurrent.CompletableFuture;

/**
 * The portable fallback of {@link Connection#newStreamWithData} and {@link
 * Host#newStreamWithData}: write the first data on a negotiated stream, then half-close it if
 * asked. Stateless.
 */
final class FirstWrite {

  private FirstWrite() {}

  /**
   * Writes {@code data} on {@code stream}, then half-closes it when {@code closeWrite}; on failure
   * the stream is reset.
   *
   * @return completes with the stream once both were handed to the muxer
   */
  static CompletableFuture<Stream> send(Stream stream, byte[] data, boolean closeWrite) {
    CompletableFuture<Void> written = stream.write(data);
    if (closeWrite) {
      written = written.thenCompose(v -> stream.closeWrite());
    }
    return written
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                stream.reset();
              }
            })
        .thenApply(v -> stream);
  }
}
