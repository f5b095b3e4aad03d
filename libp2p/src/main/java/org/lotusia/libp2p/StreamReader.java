package org.lotusia.libp2p;

/**
 * Receives the inbound side of a {@link Stream}: data chunks in order, then exactly one of
 * {@link #onEnd(Stream)} or {@link #onError(Stream, Throwable)}.
 *
 * <p>Threading: called on the host's callback executor, one call at a time per stream. A callback
 * that throws resets the stream (the exception is logged). The arrays passed in are owned by the
 * reader.
 */
public interface StreamReader {

  /** A chunk of inbound data; never empty. */
  void onData(Stream stream, byte[] chunk);

  /** The remote closed its writing side; no more data follows. */
  default void onEnd(Stream stream) {}

  /**
   * The stream ended abnormally: {@link StreamResetException} when it was reset,
   * {@link ConnectionClosedException} when the connection went away.
   */
  default void onError(Stream stream, Throwable cause) {}
}
