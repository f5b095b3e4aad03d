package org.lotusia.libp2p.protocol.perf;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;

/**
 * Perf ({@value #PROTOCOL_ID}), per https://github.com/libp2p/specs/blob/master/perf/perf.md: the
 * client sends the number of bytes it wants back as an 8-byte big-endian integer, uploads its bytes and
 * closes its side; the server discards the upload, then sends the requested bytes and closes.
 *
 * <p>The server refuses (resets) requests above {@code maxDownload} bytes. Thread-safe.
 */
public final class Perf implements ProtocolBinding<PerfClient> {

  /** The protocol ID. */
  public static final String PROTOCOL_ID = "/perf/1.0.0";
  /** Default limit of bytes the server sends for one request: 16 GiB. */
  public static final long DEFAULT_MAX_DOWNLOAD = 16L << 30;
  /** Size of the chunks written. */
  static final int CHUNK = 64 * 1024;

  private final long maxDownload;

  /** Perf with the default server limit. */
  public Perf() {
    this(DEFAULT_MAX_DOWNLOAD);
  }

  /**
   * Perf with a server limit of bytes sent per request.
   *
   * @throws IllegalArgumentException when {@code maxDownload} is negative
   */
  public Perf(long maxDownload) {
    if (maxDownload < 0) {
      throw new IllegalArgumentException("maxDownload must be >= 0, got " + maxDownload);
    }
    this.maxDownload = maxDownload;
  }

  @Override
  public List<String> protocolIds() {
    return List.of(PROTOCOL_ID);
  }

  @Override
  public CompletableFuture<PerfClient> initiate(Stream stream) {
    return CompletableFuture.completedFuture(new PerfClient(stream));
  }

  @Override
  public CompletableFuture<PerfClient> respond(Stream stream) {
    stream.read(8).whenComplete((header, error) -> {
      if (error != null) {
        stream.reset();
        return;
      }
      long requested = ByteBuffer.wrap(header).getLong();
      if (requested < 0 || requested > maxDownload) {
        stream.reset();
        return;
      }
      stream.setReader(new StreamReader() {
        @Override
        public void onData(Stream s, byte[] chunk) {
          // Upload bytes are counted by the client only; the server discards them.
        }

        @Override
        public void onEnd(Stream s) {
          sendZeros(s, requested).whenComplete((v, e) -> {
            if (e != null) {
              s.reset();
            } else {
              s.closeWrite();
            }
          });
        }
      });
    });
    return CompletableFuture.completedFuture(null);
  }

  /** Writes {@code count} zero bytes in chunks, each after the previous write was accepted. */
  static CompletableFuture<Void> sendZeros(Stream stream, long count) {
    if (count == 0) {
      return CompletableFuture.completedFuture(null);
    }
    int n = (int) Math.min(CHUNK, count);
    return stream.write(new byte[n]).thenCompose(v -> sendZeros(stream, count - n));
  }

  /** Checks a download count against the request. */
  static void checkDownload(long expected, long got) {
    if (expected != got) {
      throw new ProtocolViolationException(
          "perf: requested " + expected + " bytes but the server sent " + got);
    }
  }
}
