package org.lotusia.libp2p.protocol.ping;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;

/**
 * The initiator side of one ping stream. Pings run one after another on the same stream.
 *
 * <p>Thread-safe; {@link #ping()} calls are serialised.
 */
public final class PingSession {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Stream stream;
  private CompletableFuture<Duration> last = CompletableFuture.completedFuture(Duration.ZERO);

  PingSession(Stream stream) {
    this.stream = stream;
  }

  /** The underlying stream. */
  public Stream stream() {
    return stream;
  }

  /**
   * Sends one ping and measures the round trip. Fails with {@link ProtocolViolationException} when the
   * echo differs from the payload, and with the stream's failure when it ended.
   */
  public synchronized CompletableFuture<Duration> ping() {
    CompletableFuture<Duration> next = last.handle((d, e) -> null).thenCompose(x -> pingOnce());
    last = next;
    return next;
  }

  private CompletableFuture<Duration> pingOnce() {
    byte[] payload = new byte[Ping.PAYLOAD_SIZE];
    RANDOM.nextBytes(payload);
    long start = System.nanoTime();
    return stream.write(payload)
        .thenCompose(v -> stream.read(Ping.PAYLOAD_SIZE))
        .thenApply(echo -> {
          long rtt = System.nanoTime() - start;
          if (!Arrays.equals(payload, echo)) {
            stream.reset();
            throw new ProtocolViolationException("ping: echo differs from the payload sent");
          }
          return Duration.ofNanos(rtt);
        });
  }

  /** Ends the session: half-closes, and the responder closes its side in turn. */
  public CompletableFuture<Void> close() {
    return stream.closeWrite();
  }
}
