package org.lotusia.libp2p.internal.yamux;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Yamux frame constants and encoders (https://github.com/libp2p/specs/blob/master/yamux/README.md).
 *
 * <p>Every frame starts with a 12-byte big-endian header: version (8 bits, always 0), type (8),
 * flags (16), stream id (32), length (32). For Data frames the length is the payload size; for
 * WindowUpdate it is the window delta; for Ping the opaque value; for GoAway the error code.
 */
public final class YamuxFrames {

  /** Header size in bytes. */
  public static final int HEADER_LENGTH = 12;

  /** The only defined protocol version. */
  public static final int VERSION = 0;

  /** Type: data. */
  public static final int TYPE_DATA = 0;

  /** Type: window update. */
  public static final int TYPE_WINDOW_UPDATE = 1;

  /** Type: ping. */
  public static final int TYPE_PING = 2;

  /** Type: go away. */
  public static final int TYPE_GO_AWAY = 3;

  /** Flag: start of a stream (or a ping request). */
  public static final int FLAG_SYN = 1;

  /** Flag: acknowledges a stream (or answers a ping). */
  public static final int FLAG_ACK = 2;

  /** Flag: half-close, the sender sends no more data. */
  public static final int FLAG_FIN = 4;

  /** Flag: reset the stream. */
  public static final int FLAG_RST = 8;

  /** All defined flags. */
  public static final int KNOWN_FLAGS = FLAG_SYN | FLAG_ACK | FLAG_FIN | FLAG_RST;

  /** GoAway code: normal termination. */
  public static final int GO_AWAY_NORMAL = 0;

  /** GoAway code: protocol error. */
  public static final int GO_AWAY_PROTOCOL_ERROR = 1;

  /** GoAway code: internal error. */
  public static final int GO_AWAY_INTERNAL_ERROR = 2;

  /** The stream window both sides assume at stream start, fixed by the spec. */
  public static final int DEFAULT_WINDOW = 256 * 1024;

  private YamuxFrames() {}

  /**
   * Writes a header.
   *
   * @param out destination
   * @param type frame type
   * @param flags flags
   * @param streamId stream id (0 for session frames)
   * @param length length field, as an unsigned 32-bit value
   */
  public static void writeHeader(ByteBuf out, int type, int flags, int streamId, long length) {
    out.writeByte(VERSION);
    out.writeByte(type);
    out.writeShort(flags);
    out.writeInt(streamId);
    out.writeInt((int) length);
  }

  /**
   * Encodes a frame without payload (window update, ping, go away, empty data).
   *
   * @param alloc allocator
   * @param type frame type
   * @param flags flags
   * @param streamId stream id
   * @param length length field
   * @return a new buffer the caller owns
   */
  public static ByteBuf header(
      ByteBufAllocator alloc, int type, int flags, int streamId, long length) {
    ByteBuf out = alloc.buffer(HEADER_LENGTH);
    writeHeader(out, type, flags, streamId, length);
    return out;
  }

  /**
   * Names a frame type for messages.
   *
   * @param type frame type
   * @return its name
   */
  static String typeName(int type) {
    return switch (type) {
      case TYPE_DATA -> "Data";
      case TYPE_WINDOW_UPDATE -> "WindowUpdate";
      case TYPE_PING -> "Ping";
      case TYPE_GO_AWAY -> "GoAway";
      default -> "type " + type;
    };
  }
}
