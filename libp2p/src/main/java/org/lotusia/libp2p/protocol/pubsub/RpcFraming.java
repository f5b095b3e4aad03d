package org.lotusia.libp2p.protocol.pubsub;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * The unsigned-varint length-prefixed framing of pubsub RPCs on a stream. {@link Decoder} splits
 * inbound chunks into frames and refuses a frame longer than the limit as soon as its prefix is
 * read, so it never buffers more than the limit plus one prefix.
 */
final class RpcFraming {
  private RpcFraming() {}

  /** The length-prefixed encoding of {@code rpc}. */
  static byte[] encode(RPC rpc) {
    byte[] body = rpc.toByteArray();
    byte[] prefix = Varint.encode(body.length);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  /** Incremental decoder for one stream. Not thread-safe. */
  static final class Decoder {
    private final int maxFrame;
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private int expected = -1;

    Decoder(int maxFrame) {
      this.maxFrame = maxFrame;
    }

    /**
     * Adds a chunk and returns the frames it completed.
     *
     * @throws ProtocolViolationException when a prefix is malformed or announces more than the
     *     limit
     */
    List<byte[]> feed(byte[] chunk) {
      List<byte[]> frames = new ArrayList<>();
      int pos = 0;
      while (pos < chunk.length) {
        if (expected < 0) {
          buf.write(chunk[pos++]);
          if ((chunk[pos - 1] & 0x80) != 0) {
            if (buf.size() >= Varint.MAX_BYTES) {
              throw new ProtocolViolationException("pubsub: malformed RPC length prefix");
            }
            continue;
          }
          long len;
          try {
            len = Varint.decode(buf.toByteArray(), 0).value();
          } catch (IllegalArgumentException e) {
            throw new ProtocolViolationException("pubsub: malformed RPC length prefix");
          }
          if (len > maxFrame) {
            throw new ProtocolViolationException(
                "pubsub: RPC of " + len + " bytes exceeds the limit of " + maxFrame);
          }
          expected = (int) len;
          buf.reset();
        }
        int take = Math.min(expected - buf.size(), chunk.length - pos);
        buf.write(chunk, pos, take);
        pos += take;
        if (buf.size() == expected) {
          frames.add(buf.toByteArray());
          buf.reset();
          expected = -1;
        }
      }
      return frames;
    }
  }
}
