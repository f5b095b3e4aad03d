package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Stream;

/** The echo protocol of the host tests and a check that runs many echo streams at once. */
final class EchoStreams {

  private EchoStreams() {}

  /**
   * A stream handler that echoes every chunk back and closes its side at the end. It reads the next
   * chunk only once the previous one was accepted for writing, so a slow reader on the other side
   * slows the sender through the stream's window instead of filling this side's pending-write limit
   * (a write refused there would silently lose a chunk); a failed write resets the stream.
   */
  static void serve(Stream s) {
    s.readSome(64 << 10)
        .thenCompose(
            chunk ->
                chunk.length == 0
                    ? s.closeWrite().thenApply(v -> false)
                    : s.write(chunk).thenApply(v -> true))
        .whenComplete(
            (more, e) -> {
              if (e != null) {
                s.reset();
              } else if (more) {
                serve(s);
              }
            });
  }

  /**
   * Opens {@code streams} echo streams on {@code c} at once, stream {@code i} carrying {@code
   * baseSize + i} random bytes, and checks every reply byte for byte.
   */
  static void assertConcurrentEchoes(Connection c, String protocol, int streams, int baseSize) {
    List<CompletableFuture<byte[]>> replies = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      byte[] payload = new byte[baseSize + i];
      new Random(i).nextBytes(payload);
      sent.add(payload);
      replies.add(
          c.newStream(List.of(protocol))
              .thenCompose(
                  s ->
                      s.write(payload)
                          .thenCompose(v -> s.closeWrite())
                          .thenCompose(v -> s.readAll(1 << 20))));
    }
    for (int i = 0; i < streams; i++) {
      assertThat(replies.get(i).join()).isEqualTo(sent.get(i));
    }
  }
}
