package org.lotusia.libp2p.protocol.ping;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.Stream;

/**
 * Ping ({@value #PROTOCOL_ID}), per https://github.com/libp2p/specs/blob/master/ping/ping.md: the
 * initiator sends 32 random bytes, the responder echoes them, repeatedly on one stream.
 *
 * <p>The responder echoes until the initiator closes its side, then closes; it answers at most
 * {@code maxPingsPerStream} pings per stream and resets the stream after that. Thread-safe.
 */
public final class Ping implements ProtocolBinding<PingSession> {

  /** The protocol ID. */
  public static final String PROTOCOL_ID = "/ipfs/ping/1.0.0";

  /** The size of every ping payload. */
  public static final int PAYLOAD_SIZE = 32;

  /** Default limit of pings answered per stream. */
  public static final int DEFAULT_MAX_PINGS_PER_STREAM = 1_000_000;

  private final int maxPingsPerStream;

  /** Ping with the default per-stream limit. */
  public Ping() {
    this(DEFAULT_MAX_PINGS_PER_STREAM);
  }

  /**
   * Ping with a per-stream limit of answered pings.
   *
   * @throws IllegalArgumentException when the limit is below 1
   */
  public Ping(int maxPingsPerStream) {
    if (maxPingsPerStream < 1) {
      throw new IllegalArgumentException(
          "maxPingsPerStream must be >= 1, got " + maxPingsPerStream);
    }
    this.maxPingsPerStream = maxPingsPerStream;
  }

  @Override
  public List<String> protocolIds() {
    return List.of(PROTOCOL_ID);
  }

  /** Ping is small enough for limited (relayed) connections, as in js-libp2p. */
  @Override
  public boolean runOnLimitedConnection() {
    return true;
  }

  @Override
  public CompletableFuture<PingSession> initiate(Stream stream) {
    return CompletableFuture.completedFuture(new PingSession(stream));
  }

  @Override
  public CompletableFuture<PingSession> respond(Stream stream) {
    echo(stream, 0);
    return CompletableFuture.completedFuture(null);
  }

  private void echo(Stream stream, int answered) {
    stream
        .read(PAYLOAD_SIZE)
        .whenComplete(
            (payload, error) -> {
              if (error != null) {
                // The initiator closed its side (EOF) or the stream died: finish our side.
                stream.close();
                return;
              }
              if (answered >= maxPingsPerStream) {
                stream.reset();
                return;
              }
              stream
                  .write(payload)
                  .whenComplete(
                      (v, e) -> {
                        if (e != null) {
                          stream.reset();
                        } else {
                          echo(stream, answered + 1);
                        }
                      });
            });
  }
}
