package org.lotusia.p2p.coordinator.internal;

import java.util.function.Consumer;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * Cuts a byte stream into unsigned-varint length-prefixed frames, the framing of message channels.
 * Each frame's length is checked against the limit as soon as its prefix is read, so a remote can
 * make the splitter hold at most one frame of the limit plus its prefix; a frame of length 0 is
 * refused (a channel carries no empty messages).
 *
 * <p>Not thread-safe: one splitter per stream, fed by the stream's single reader.
 */
final class FrameSplitter {

  private final int maxFrame;
  private long length = -1; // the current frame's length once its prefix is complete
  private long prefix; // the prefix read so far
  private int prefixBytes;
  private byte[] body;
  private int filled;

  /**
   * Creates a splitter.
   *
   * @param maxFrame the largest frame accepted, in bytes, positive
   */
  FrameSplitter(int maxFrame) {
    if (maxFrame <= 0) {
      throw new IllegalArgumentException("maxFrame must be positive, got " + maxFrame);
    }
    this.maxFrame = maxFrame;
  }

  /** Returns {@code body} with its unsigned-varint length in front. */
  static byte[] frame(byte[] body) {
    byte[] out = new byte[Varint.encodedLength(body.length) + body.length];
    int at = Varint.write(body.length, out, 0);
    System.arraycopy(body, 0, out, at, body.length);
    return out;
  }

  /**
   * Takes the next chunk of the stream.
   *
   * @param chunk the bytes, in stream order
   * @param frames receives each frame completed by this chunk, in order, as it completes
   * @throws ProtocolViolationException when a length is 0, above the limit, or not a minimal
   *     varint; the stream must then be reset (frames handed over before stay valid)
   */
  void feed(byte[] chunk, Consumer<byte[]> frames) {
    int at = 0;
    while (at < chunk.length) {
      if (length < 0) {
        at = readPrefix(chunk, at);
        continue;
      }
      int n = Math.min(chunk.length - at, body.length - filled);
      System.arraycopy(chunk, at, body, filled, n);
      filled += n;
      at += n;
      if (filled == body.length) {
        byte[] done = body;
        length = -1;
        body = null;
        frames.accept(done);
      }
    }
  }

  /** Returns whether a frame was begun and not finished (the stream ended inside a frame). */
  boolean inFrame() {
    return length >= 0 || prefixBytes > 0;
  }

  private int readPrefix(byte[] chunk, int at) {
    int octet = chunk[at] & 0xff;
    if (prefixBytes > 0 && octet == 0) {
      throw new ProtocolViolationException("message channel: frame length is not a minimal varint");
    }
    prefix |= (long) (octet & 0x7f) << (7 * prefixBytes);
    prefixBytes++;
    if (prefix > maxFrame) {
      throw new ProtocolViolationException(
          "message channel: frame of " + prefix + " bytes exceeds the limit of " + maxFrame);
    }
    if ((octet & 0x80) == 0) {
      if (prefix == 0) {
        throw new ProtocolViolationException("message channel: empty frame");
      }
      length = prefix;
      body = new byte[(int) prefix];
      filled = 0;
      prefix = 0;
      prefixBytes = 0;
    }
    return at + 1;
  }
}
