package org.lotusia.libp2p;

import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * One multiplexed, bidirectional byte stream on a {@link Connection}, already negotiated to a
 * single application protocol.
 *
 * <p>Writing: {@link #write(byte[])} copies the bytes and returns a future that completes once the
 * muxer accepted them <em>and</em> the stream is writable again, so a writer that waits for each
 * future before writing more is paced by Yamux flow control. Reading is push based: install a
 * {@link StreamReader} with {@link #setReader(StreamReader)}, or use the convenience {@link
 * #read(int)} / {@link #readAll(int)} futures. Inbound data is buffered up to a bounded number of
 * bytes; beyond that the stream stops reading from the network, and Yamux's receive window pushes
 * back on the remote writer.
 *
 * <p>Threading: every method may be called from any thread. Reader callbacks and future completions
 * run on the host's callback executor, never on a network thread, and callbacks of one stream never
 * run concurrently.
 */
public interface Stream {

  /** The negotiated protocol ID, e.g. {@code /ipfs/ping/1.0.0}. */
  String protocol();

  /** The connection this stream belongs to. */
  Connection connection();

  /** Whether the local side opened this stream. */
  Direction direction();

  /**
   * Writes a copy of {@code data}. The future completes when the bytes were queued for the muxer
   * and the stream can take more without exceeding its outbound buffer (often it is complete when
   * returned); it fails with {@link StreamResetException} or {@link ConnectionClosedException} when
   * the stream died first, or with {@link IllegalStateException} after {@link #closeWrite()}. Bytes
   * whose future completed but which could not be sent after all (the stream died meanwhile) end
   * the stream with a reset, so the remote never takes the data for complete.
   */
  CompletableFuture<Void> write(byte[] data);

  /**
   * Half-closes the stream: tells the remote that no more data follows, while reading continues.
   * The future completes once the close was sent.
   */
  CompletableFuture<Void> closeWrite();

  /** Closes both directions gracefully; buffered inbound data is discarded. */
  CompletableFuture<Void> close();

  /** Aborts the stream in both directions (a Yamux RST); pending reads fail with a reset. */
  void reset();

  /**
   * Installs the push reader. Chunks buffered before the call are delivered first. Only one reader
   * may be set, and it excludes {@link #read(int)} and {@link #readAll(int)}.
   *
   * @throws IllegalStateException when a reader or a pending read is already present
   */
  void setReader(StreamReader reader);

  /**
   * Reads exactly {@code length} bytes. Fails with {@link java.io.EOFException} when the remote
   * closed its side first. Only one read may be pending at a time.
   *
   * @throws IllegalArgumentException when {@code length} is negative or above the stream's buffer
   *     limit
   */
  CompletableFuture<byte[]> read(int length);

  /**
   * Reads until the remote closes its side. Fails with {@link ProtocolViolationException} (and
   * resets the stream) when more than {@code maxBytes} arrive.
   */
  CompletableFuture<byte[]> readAll(int maxBytes);

  /**
   * Reads what is available, at least one and at most {@code maxBytes} bytes; completes with an
   * empty array when the remote closed its side. Only one read may be pending at a time.
   *
   * @throws IllegalArgumentException when {@code maxBytes} is below 1
   */
  CompletableFuture<byte[]> readSome(int maxBytes);

  /**
   * A blocking {@link InputStream} view over {@link #readSome(int)} for simple protocols. Its reads
   * block the calling thread, so never use it on the callback executor (for example inside a {@link
   * StreamHandler}); hand the stream to a thread of your own. Failures surface as {@link
   * java.io.IOException}; end of stream as {@code -1}.
   */
  InputStream inputStream();

  /**
   * A future completing when the stream is fully closed (both directions, or by reset), with the
   * cause of an abnormal end as its exception.
   */
  CompletableFuture<Void> closeFuture();

  /** Whether the stream is still open in at least one direction. */
  boolean isOpen();
}
