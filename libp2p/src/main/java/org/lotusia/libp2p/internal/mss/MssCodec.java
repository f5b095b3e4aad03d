package org.lotusia.libp2p.internal.mss;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.lotusia.libp2p.ProtocolViolationException;

/**
 * Wire format of multistream-select 1.0: each message is an unsigned-varint length, then that many
 * bytes of UTF-8 text ending with {@code '\n'} (the length counts the newline). See
 * https://github.com/multiformats/multistream-select.
 */
final class MssCodec {

  private MssCodec() {}

  /**
   * Appends one message (varint length, text, newline) to {@code out}.
   *
   * @param out destination
   * @param text message without the newline
   */
  static void writeMessage(ByteBuf out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    writeUvarint(out, bytes.length + 1);
    out.writeBytes(bytes);
    out.writeByte('\n');
  }

  /**
   * Encodes messages into one new buffer, so they travel in one write.
   *
   * @param alloc allocator
   * @param texts messages without newlines
   * @return a buffer the caller owns
   */
  static ByteBuf encode(ByteBufAllocator alloc, String... texts) {
    ByteBuf out = alloc.buffer();
    for (String t : texts) {
      writeMessage(out, t);
    }
    return out;
  }

  static void writeUvarint(ByteBuf out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  /**
   * Reads one complete message from {@code in} if it is all there.
   *
   * @param in cumulated input; its reader index moves past the message only when one is returned
   * @param maxLength largest accepted length prefix
   * @return the text without the newline, or {@code null} when more bytes are needed
   * @throws ProtocolViolationException when the prefix is malformed or too large, or the message
   *     does not end with a newline or is not UTF-8
   */
  static String readMessage(ByteBuf in, int maxLength) {
    int start = in.readerIndex();
    long length = 0;
    int shift = 0;
    int i = start;
    while (true) {
      if (i >= in.writerIndex()) {
        return null;
      }
      int b = in.getByte(i++) & 0xFF;
      length |= (long) (b & 0x7F) << shift;
      if (length > maxLength) {
        throw new ProtocolViolationException(
            "multistream-select: message length exceeds the limit of " + maxLength + " bytes");
      }
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) {
          throw new ProtocolViolationException(
              "multistream-select: non-minimal varint length prefix");
        }
        break;
      }
      shift += 7;
      if (shift > 21) {
        throw new ProtocolViolationException("multistream-select: varint length prefix too long");
      }
    }
    if (length == 0) {
      throw new ProtocolViolationException("multistream-select: empty message");
    }
    if (in.writerIndex() - i < length) {
      return null;
    }
    int len = (int) length;
    if (in.getByte(i + len - 1) != '\n') {
      throw new ProtocolViolationException(
          "multistream-select: message does not end with a newline");
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(in.nioBuffer(i, len - 1))
              .toString();
    } catch (CharacterCodingException e) {
      throw new ProtocolViolationException("multistream-select: message is not valid UTF-8", e);
    }
    in.readerIndex(i + len);
    return text;
  }
}
