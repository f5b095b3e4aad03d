package org.lotusia.libp2p.internal.framing;

import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * Unsigned-varint length-prefixed messages on a {@link Stream}, the framing of AutoNAT and DCUtR.
 * A read takes exactly the bytes of one message, so what follows stays in the stream. The length is
 * checked before any body byte is read, so a remote cannot make a reader buffer more than its limit.
 *
 * <p>Stateless and thread-safe.
 */
public final class LengthPrefixed {

  private static final int MAX_VARINT_BYTES = 5;

  private LengthPrefixed() {}

  /** The length-prefixed encoding of {@code body}. */
  public static byte[] frame(byte[] body) {
    byte[] prefix = Varint.encode(body.length);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  /**
   * Reads one message body. Fails with {@link ProtocolViolationException} naming {@code what} when
   * the announced length is above {@code maxBytes} or the prefix is not a minimal varint, and with
   * {@link java.io.EOFException} when the stream ends first.
   */
  public static CompletableFuture<byte[]> read(Stream stream, int maxBytes, String what) {
    return readLength(stream, 0, 0, maxBytes, what)
        .thenCompose(
            length ->
                length == 0 ? CompletableFuture.completedFuture(new byte[0]) : stream.read(length));
  }

  private static CompletableFuture<Integer> readLength(
      Stream stream, long value, int index, int maxBytes, String what) {
    return stream
        .read(1)
        .thenCompose(
            b -> {
              int octet = b[0] & 0xff;
              long v = value | ((long) (octet & 0x7f) << (7 * index));
              if (v > maxBytes) {
                throw new ProtocolViolationException(
                    what + " of " + v + " bytes exceeds the limit of " + maxBytes);
              }
              if ((octet & 0x80) == 0) {
                if (index > 0 && octet == 0) {
                  throw new ProtocolViolationException(what + " length is not minimal");
                }
                return CompletableFuture.completedFuture((int) v);
              }
              if (index + 1 >= MAX_VARINT_BYTES) {
                throw new ProtocolViolationException(what + " length prefix is too long");
              }
              return readLength(stream, v, index + 1, maxBytes, what);
            });
  }
}
