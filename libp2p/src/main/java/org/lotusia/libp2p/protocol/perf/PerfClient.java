package org.lotusia.libp2p.protocol.perf;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;

/** The client side of one perf stream; {@link #run} may be called once. */
public final class PerfClient {

  private final Stream stream;

  PerfClient(Stream stream) {
    this.stream = stream;
  }

  /** The underlying stream. */
  public Stream stream() {
    return stream;
  }

  /**
   * Uploads {@code upload} bytes, then downloads {@code download} bytes, and measures both.
   *
   * @throws IllegalArgumentException when a size is negative
   */
  public CompletableFuture<PerfResult> run(long upload, long download) {
    if (upload < 0 || download < 0) {
      throw new IllegalArgumentException(
          "perf sizes must be >= 0, got upload " + upload + " download " + download);
    }
    long start = System.nanoTime();
    AtomicLong received = new AtomicLong();
    CompletableFuture<Long> downloaded = new CompletableFuture<>();
    stream.setReader(new StreamReader() {
      @Override
      public void onData(Stream s, byte[] chunk) {
        received.addAndGet(chunk.length);
      }

      @Override
      public void onEnd(Stream s) {
        downloaded.complete(received.get());
      }

      @Override
      public void onError(Stream s, Throwable cause) {
        downloaded.completeExceptionally(cause);
      }
    });
    long[] uploadEnd = new long[1];
    return stream.write(ByteBuffer.allocate(8).putLong(download).array())
        .thenCompose(v -> Perf.sendZeros(stream, upload))
        .thenCompose(v -> stream.closeWrite())
        .thenCompose(v -> {
          uploadEnd[0] = System.nanoTime();
          return downloaded;
        })
        .thenApply(got -> {
          Perf.checkDownload(download, got);
          long end = System.nanoTime();
          stream.close();
          return new PerfResult(upload, got, Duration.ofNanos(uploadEnd[0] - start),
              Duration.ofNanos(end - start));
        });
  }
}
