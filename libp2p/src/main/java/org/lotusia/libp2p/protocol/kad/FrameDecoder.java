package org.lotusia.libp2p.protocol.kad;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.ProtocolViolationException;

/**
 * Splits a byte stream into unsigned-varint length-prefixed frames, as the kad-dht spec frames its
 * protobuf messages. A length above the limit is rejected as soon as its prefix arrives, so an
 * attacker cannot make the decoder buffer more than {@code maxFrame} bytes plus one chunk.
 *
 * <p>Not thread-safe; one per stream.
 */
final class FrameDecoder {
  private static final int MAX_PREFIX = 5; // 35 bits, far above any allowed length

  private final int maxFrame;
  private byte[] buf = new byte[0];
  private int len;

  FrameDecoder(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  /**
   * Appends {@code chunk} and returns the frames it completed, in order.
   *
   * @throws ProtocolViolationException when a length prefix is malformed or above the limit
   */
  List<byte[]> feed(byte[] chunk) {
    ensure(len + chunk.length);
    System.arraycopy(chunk, 0, buf, len, chunk.length);
    len += chunk.length;
    List<byte[]> frames = new ArrayList<>();
    int pos = 0;
    while (true) {
      long size = 0;
      int i = 0;
      boolean complete = false;
      while (pos + i < len) {
        int b = buf[pos + i] & 0xff;
        size |= (long) (b & 0x7f) << (7 * i);
        i++;
        if ((b & 0x80) == 0) {
          complete = true;
          break;
        }
        if (i >= MAX_PREFIX) {
          throw new ProtocolViolationException("kad message length prefix longer than 5 bytes");
        }
      }
      if (!complete) {
        break;
      }
      if (size > maxFrame) {
        throw new ProtocolViolationException(
            "kad message of " + size + " bytes exceeds the limit of " + maxFrame);
      }
      if (pos + i + size > len) {
        break;
      }
      byte[] frame = new byte[(int) size];
      System.arraycopy(buf, pos + i, frame, 0, (int) size);
      frames.add(frame);
      pos += i + (int) size;
    }
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, len - pos);
      len -= pos;
    }
    return frames;
  }

  /** Bytes held that do not yet form a frame. */
  int buffered() {
    return len;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      byte[] n = new byte[Math.max(capacity, Math.min(buf.length * 2, maxFrame + MAX_PREFIX))];
      System.arraycopy(buf, 0, n, 0, len);
      buf = n;
    }
  }

  /** Prefixes {@code body} with its varint length. */
  static byte[] frame(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    int v = body.length;
    while ((v & ~0x7f) != 0) {
      out.write((v & 0x7f) | 0x80);
      v >>>= 7;
    }
    out.write(v);
    out.writeBytes(body);
    return out.toByteArray();
  }
}
