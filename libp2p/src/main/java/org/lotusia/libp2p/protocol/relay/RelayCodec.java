package org.lotusia.libp2p.protocol.relay;

import com.google.protobuf.MessageLite;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * Framing and field conversions of the hop and stop protocols: every message is an unsigned-varint
 * length followed by that many bytes of protobuf, as in js-libp2p and go-libp2p. Reads take exactly
 * the bytes of one message from the stream, so what follows (the relayed connection) stays in the
 * stream for the next owner.
 */
final class RelayCodec {

  private static final int MAX_VARINT_BYTES = 5;

  private RelayCodec() {}

  /** The length-prefixed encoding of {@code message}. */
  static byte[] frame(MessageLite message) {
    byte[] body = message.toByteArray();
    byte[] prefix = Varint.encode(body.length);
    byte[] out = new byte[prefix.length + body.length];
    System.arraycopy(prefix, 0, out, 0, prefix.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  /**
   * Reads one length-prefixed message body. Fails with {@link ProtocolViolationException} when the
   * announced length is above {@code maxBytes} or the prefix is not a valid varint, and with {@link
   * java.io.EOFException} when the stream ends first.
   */
  static CompletableFuture<byte[]> readFrame(Stream stream, int maxBytes) {
    return readLength(stream, 0, 0, maxBytes)
        .thenCompose(
            length ->
                length == 0
                    ? CompletableFuture.completedFuture(new byte[0])
                    : stream.read(length));
  }

  private static CompletableFuture<Integer> readLength(
      Stream stream, long value, int index, int maxBytes) {
    return stream
        .read(1)
        .thenCompose(
            b -> {
              int octet = b[0] & 0xff;
              long v = value | ((long) (octet & 0x7f) << (7 * index));
              if (v > maxBytes) {
                throw new ProtocolViolationException(
                    "relay message of " + v + " bytes exceeds the limit of " + maxBytes);
              }
              if ((octet & 0x80) == 0) {
                if (index > 0 && octet == 0) {
                  throw new ProtocolViolationException("relay message length is not minimal");
                }
                return CompletableFuture.completedFuture((int) v);
              }
              if (index + 1 >= MAX_VARINT_BYTES) {
                throw new ProtocolViolationException("relay message length prefix is too long");
              }
              return readLength(stream, v, index + 1, maxBytes);
            });
  }

  /** The wire limit, or nothing when {@code limits} is null (no limit applied). */
  static Optional<RelayProto.Limit> toPb(ConnectionLimits limits) {
    if (limits == null || (!limits.hasDuration() && !limits.hasData())) {
      return Optional.empty();
    }
    RelayProto.Limit.Builder b = RelayProto.Limit.newBuilder();
    if (limits.hasDuration()) {
      // whole seconds on the wire; round up so the peer never expects less than the relay allows
      long seconds = (limits.duration().toMillis() + 999) / 1000;
      b.setDuration((int) Math.min(seconds, 0xffff_ffffL));
    }
    if (limits.hasData()) {
      b.setData(limits.bytes());
    }
    return Optional.of(b.build());
  }

  /** The limits a peer announced, or empty when it announced none or only zeros. */
  static Optional<ConnectionLimits> fromPb(boolean present, RelayProto.Limit limit) {
    if (!present) {
      return Optional.empty();
    }
    long seconds = limit.hasDuration() ? Integer.toUnsignedLong(limit.getDuration()) : 0;
    long data = limit.hasData() ? limit.getData() : 0;
    if (data < 0) {
      data = Long.MAX_VALUE; // a uint64 above 2^63: effectively no data limit
    }
    if (seconds == 0 && data == 0) {
      return Optional.empty();
    }
    return Optional.of(new ConnectionLimits(Duration.ofSeconds(seconds), data));
  }

  static RelayProto.HopMessage hopStatus(RelayStatus status) {
    return RelayProto.HopMessage.newBuilder()
        .setType(RelayProto.HopMessage.Type.STATUS)
        .setStatus(RelayProto.Status.forNumber(status.code()))
        .build();
  }

  static RelayProto.StopMessage stopStatus(RelayStatus status) {
    return RelayProto.StopMessage.newBuilder()
        .setType(RelayProto.StopMessage.Type.STATUS)
        .setStatus(RelayProto.Status.forNumber(status.code()))
        .build();
  }

  /** The status of a received message, or {@code null} when absent or unknown. */
  static RelayStatus status(boolean present, int wireValue) {
    if (!present) {
      return null;
    }
    try {
      return RelayStatus.of(wireValue);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
