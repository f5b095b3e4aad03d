package org.lotusia.libp2p.internal.framing;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * The unsigned-varint length-prefixed framing of libp2p protobuf protocols (kad-dht, pubsub,
 * identify, and through {@link LengthPrefixed} AutoNAT and DCUtR): each message is its length as
 * an unsigned varint (https://github.com/multiformats/unsigned-varint), then that many bytes.
 *
 * <p>{@link #feed} splits a byte stream into frames and refuses, with {@link
 * ProtocolViolationException}, a length prefix that is longer than 5 bytes, not minimally encoded
 * (the unsigned-varint spec: "integers are minimally encoded"; a trailing {@code 0x00} group is
 * refused), or announces more than {@code maxFrame} bytes. The size check happens as soon as the
 * prefix says too much, before any body byte is kept, so a remote cannot make the framer buffer
 * more than {@code maxFrame} bytes plus one prefix plus one chunk.
 *
 * <p>Not thread-safe: one framer per stream, fed from that stream's serial reader.
 */
public final class VarintFramer {

  /** The longest length prefix accepted: 5 groups of 7 bits cover every {@code int}. */
  public static final int MAX_PREFIX = 5;

  /** The buffer kept between frames; a larger one is dropped once empty. */
  private static final int KEEP = 16 * 1024;

  private final int maxFrame;
  private final String what;
  private byte[] buf = new byte[0];
  private int len;

  /**
   * Creates a framer.
   *
   * @param maxFrame the largest body accepted, in bytes; at least 0
   * @param what what a frame is, for error messages (e.g. {@code "kad message"})
   * @throws IllegalArgumentException when {@code maxFrame} is negative
   */
  public VarintFramer(int maxFrame, String what) {
    if (maxFrame < 0) {
      throw new IllegalArgumentException("maxFrame must be >= 0, got " + maxFrame);
    }
    this.maxFrame = maxFrame;
    this.what = what;
  }

  /** The length-prefixed encoding of {@code body}. */
  public static byte[] frame(byte[] body) {
    int prefix = Varint.encodedLength(body.length);
    byte[] out = new byte[prefix + body.length];
    Varint.write(body.length, out, 0);
    System.arraycopy(body, 0, out, prefix, body.length);
    return out;
  }

  /**
   * Appends {@code chunk} and returns the frames it completed, in order; bytes of an incomplete
   * frame are kept for the next call.
   *
   * @throws ProtocolViolationException when a length prefix is too long, not minimal, or above the
   *     limit; the framer must not be used afterwards (the stream should be reset)
   */
  public List<byte[]> feed(byte[] chunk) {
    ensure(len + chunk.length);
    System.arraycopy(chunk, 0, buf, len, chunk.length);
    len += chunk.length;
    List<byte[]> frames = new ArrayList<>();
    int pos = 0;
    while (pos < len) {
      long size = 0;
      int i = 0;
      boolean complete = false;
      while (pos + i < len) {
        int b = buf[pos + i] & 0xff;
        size |= (long) (b & 0x7f) << (7 * i);
        i++;
        if (size > maxFrame) {
          throw new ProtocolViolationException(
              what + " of " + size + " bytes or more exceeds the limit of " + maxFrame);
        }
        if ((b & 0x80) == 0) {
          if (i > 1 && b == 0) {
            throw new ProtocolViolationException(
                what + " length prefix is not minimally encoded");
          }
          complete = true;
          break;
        }
        if (i >= MAX_PREFIX) {
          throw new ProtocolViolationException(
              what + " length prefix is longer than " + MAX_PREFIX + " bytes");
        }
      }
      if (!complete || pos + i + size > len) {
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
    if (len == 0 && buf.length > KEEP) {
      buf = new byte[0]; // an idle stream does not keep its largest frame's buffer
    }
    return frames;
  }

  /** Bytes held that do not yet form a frame. */
  public int buffered() {
    return len;
  }

  private void ensure(int capacity) {
    if (capacity > buf.length) {
      long grown = Math.min((long) buf.length * 2, (long) maxFrame + MAX_PREFIX);
      byte[] n = new byte[(int) Math.max(capacity, grown)];
      System.arraycopy(buf, 0, n, 0, len);
      buf = n;
    }
  }
}
