package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostStats;
import org.lotusia.libp2p.HostStats.ProtocolStats;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.host.Hosts.Stack;

/** {@link Host#stats()}: the numbers match what the test did on the wire. */
class HostStatsTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String UPLOAD = "/test/upload/1";

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  /** Reads everything, then answers with {@code reply} bytes and closes. */
  private static void serveUpload(Host h, int reply) {
    h.setStreamHandler(
        UPLOAD,
        s ->
            s.readAll(1 << 20)
                .thenCompose(all -> s.write(new byte[reply]))
                .thenCompose(v -> s.closeWrite()));
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void byteCountsMatchWhatWasWrittenAndRead(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack);
    serveUpload(b, 3_000);
    byte[] payload = new byte[100_000];
    new Random(1).nextBytes(payload);
    for (int i = 0; i < 3; i++) {
      Stream s = join(a.newStream(b.listenAddresses().get(0), List.of(UPLOAD)));
      join(s.write(payload));
      join(s.closeWrite());
      assertThat(join(s.readAll(10_000))).hasSize(3_000);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              ProtocolStats atA = a.stats().protocol(UPLOAD);
              ProtocolStats atB = b.stats().protocol(UPLOAD);
              assertThat(atA.bytesWritten()).isEqualTo(300_000);
              assertThat(atA.bytesRead()).isEqualTo(9_000);
              assertThat(atB.bytesRead()).isEqualTo(300_000);
              assertThat(atB.bytesWritten()).isEqualTo(9_000);
            });
  }

  @ParameterizedTest
  @EnumSource(
      value = Stack.class,
      names = {"MEMORY_NOISE", "TCP_NOISE"})
  void connectionsAndOpenStreamsAreCountedPerDirectionAndProtocol(Stack stack) {
    Host a = hosts.start(stack);
    Host b = hosts.start(stack);
    CompletableFuture<Stream> held = new CompletableFuture<>();
    b.setStreamHandler("/test/hold/1", held::complete);
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    join(a.dial(b.listenAddresses().get(0), DialOptions.FORCE));
    join(b.dial(a.listenAddresses().get(0), DialOptions.FORCE));
    Stream s1 = join(c.newStream(List.of("/test/hold/1")));
    join(held);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HostStats atA = a.stats();
              assertThat(atA.outboundConnections()).isEqualTo(2);
              assertThat(atA.inboundConnections()).isEqualTo(1);
              assertThat(atA.connections()).isEqualTo(3);
              assertThat(atA.protocol("/test/hold/1").openStreams()).isEqualTo(1);
              assertThat(b.stats().inboundConnections()).isEqualTo(2);
              assertThat(b.stats().protocol("/test/hold/1").openStreams()).isEqualTo(1);
            });
    s1.reset();
    await().atMost(WAIT).until(() -> b.stats().protocol("/test/hold/1").openStreams() == 0);
    assertThat(a.stats().protocol("/test/never/1")).isEqualTo(ProtocolStats.NONE);
  }

  @Test
  void protocolsBeyondTheLimitShareOneEntry() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    int extra = 5;
    int total = HostStats.MAX_PROTOCOLS + extra;
    for (int i = 0; i < total; i++) {
      b.setStreamHandler("/test/p/" + i, s -> s.write(new byte[7]).thenCompose(v -> s.close()));
    }
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    for (int i = 0; i < total; i++) {
      Stream s = join(c.newStream(List.of("/test/p/" + i)));
      assertThat(join(s.readAll(100))).hasSize(7);
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HostStats stats = b.stats();
              // identify and identify push are protocols too: they took some of the slots
              assertThat(stats.protocols().size()).isLessThanOrEqualTo(HostStats.MAX_PROTOCOLS + 1);
              long written =
                  stats.protocols().entrySet().stream()
                      .filter(
                          e ->
                              e.getKey().startsWith("/test/p/")
                                  || e.getKey().equals(HostStats.OTHER_PROTOCOLS))
                      .mapToLong(e -> e.getValue().bytesWritten())
                      .sum();
              assertThat(written).isEqualTo(7L * total);
              assertThat(stats.protocol(HostStats.OTHER_PROTOCOLS).bytesWritten())
                  .isGreaterThanOrEqualTo(7L * extra);
            });
  }
}
