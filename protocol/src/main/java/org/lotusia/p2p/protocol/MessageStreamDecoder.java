package org.lotusia.p2p.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental receiver of one {@code /lotus/message/1.0.0} stream: exactly one JSON object, ended
 * by the sender's write-close, no length prefix.
 *
 * <p>Feed every received chunk to {@link #onData(byte[], int, int)} and the remote write-close to
 * {@link #onEndOfStream()}. The decoder buffers at most {@code maxBytes} bytes (its buffer grows by
 * doubling up to that cap) and stops early, returning a {@link DecodeResult.Failed}, when the
 * stream passes the cap or its first non-blank byte cannot start a JSON object. After a result the
 * decoder is finished and ignores further input; the caller aborts the stream on a failure, as
 * lotus-sdk does with "Message too large".
 *
 * <p>Not thread-safe: one decoder per stream, driven by the stream's single reader.
 */
public final class MessageStreamDecoder {

  private static final int INITIAL_CAPACITY = 512;

  private final P2PProtocol protocol;
  private final int maxBytes;
  private byte[] buffer;
  private int size;
  private boolean sawStart;
  private DecodeResult result;

  /**
   * Creates a decoder.
   *
   * @param protocol parses the message at the end; its {@link P2PProtocol#maxMessageSize()} must be
   *     at least {@code maxBytes}
   * @param maxBytes receive cap in bytes, positive
   * @throws IllegalArgumentException if the cap is not positive or above the protocol's cap
   */
  public MessageStreamDecoder(P2PProtocol protocol, int maxBytes) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    if (maxBytes <= 0 || maxBytes > protocol.maxMessageSize()) {
      throw new IllegalArgumentException(
          "maxBytes must be in 1.."
              + protocol.maxMessageSize()
              + " (the protocol's cap), got "
              + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.buffer = new byte[Math.min(INITIAL_CAPACITY, maxBytes)];
  }

  /**
   * Creates a decoder whose cap is the protocol's {@link P2PProtocol#maxMessageSize()}.
   *
   * @param protocol the protocol
   */
  public MessageStreamDecoder(P2PProtocol protocol) {
    this(protocol, protocol.maxMessageSize());
  }

  /**
   * Accepts a chunk of the stream.
   *
   * @param chunk bytes received
   * @param offset start of the data in {@code chunk}
   * @param length number of bytes
   * @return {@code null} while more data is welcome; a {@link DecodeResult.Failed} if the stream
   *     must be aborted now (oversized, or not a JSON object); after any result, that same result
   */
  public DecodeResult onData(byte[] chunk, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, chunk.length);
    if (result != null) {
      return result;
    }
    if ((long) size + length > maxBytes) {
      result =
          new DecodeResult.Failed(
              DecodeFailure.OVERSIZED,
              "message too large: more than " + maxBytes + " bytes on the stream",
              (int) Math.min(Integer.MAX_VALUE, (long) size + length));
      buffer = null;
      return result;
    }
    if (!sawStart) {
      DecodeResult early = checkStart(chunk, offset, length);
      if (early != null) {
        result = early;
        buffer = null;
        return result;
      }
    }
    if (size + length > buffer.length) {
      int capacity = buffer.length;
      while (capacity < size + length) {
        capacity = (int) Math.min(maxBytes, capacity * 2L);
      }
      buffer = Arrays.copyOf(buffer, capacity);
    }
    System.arraycopy(chunk, offset, buffer, size, length);
    size += length;
    return null;
  }

  /**
   * Accepts a whole chunk of the stream.
   *
   * @param chunk bytes received
   * @return as {@link #onData(byte[], int, int)}
   */
  public DecodeResult onData(byte[] chunk) {
    return onData(chunk, 0, chunk.length);
  }

  /**
   * Signals the remote write-close and parses what was received.
   *
   * @return the decoded message or why it could not be decoded ({@link DecodeFailure#EMPTY} for a
   *     stream without bytes); after an earlier result, that same result
   */
  public DecodeResult onEndOfStream() {
    if (result != null) {
      return result;
    }
    if (size == 0) {
      result = new DecodeResult.Failed(DecodeFailure.EMPTY, "stream ended without data", 0);
    } else {
      try {
        result = new DecodeResult.Decoded(protocol.deserialize(buffer, 0, size), size);
      } catch (MessageFormatException e) {
        result = new DecodeResult.Failed(e.failure(), e.getMessage(), size);
      }
    }
    buffer = null;
    return result;
  }

  /**
   * Whether a result exists (the decoder ignores further input).
   *
   * @return true once finished
   */
  public boolean isFinished() {
    return result != null;
  }

  /**
   * Bytes buffered so far.
   *
   * @return the count
   */
  public int bufferedBytes() {
    return size;
  }

  /** Checks the first non-blank byte: a JSON object must start with '{'. */
  private DecodeResult checkStart(byte[] chunk, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = chunk[i];
      if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
        continue;
      }
      sawStart = true;
      if (b == '{') {
        return null;
      }
      int received = size + (i - offset) + 1;
      if (b == '['
          || b == '"'
          || b == '-'
          || (b >= '0' && b <= '9')
          || b == 't'
          || b == 'f'
          || b == 'n') {
        return new DecodeResult.Failed(
            DecodeFailure.NOT_AN_OBJECT,
            "message must be a JSON object, the stream starts with '" + (char) b + "'",
            received);
      }
      return new DecodeResult.Failed(
          DecodeFailure.MALFORMED_JSON,
          "message is not JSON: the stream starts with byte 0x" + Integer.toHexString(b & 0xFF),
          received);
    }
    return null;
  }
}
