package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadNetworkTest.join;
import static org.lotusia.libp2p.protocol.kad.KadNetworkTest.utf8;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message.MessageType;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.multiformats.Multihash;
import org.lotusia.libp2p.stack.SecureChannels;
import org.lotusia.libp2p.stack.Transports;

/** The serving side under attack: every inbound limit, driven over real streams. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KadServerLimitsTest {
  private static final String PROTO = KadDhtConfig.DEFAULT_PROTOCOL;
  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();

  private Host host() {
    Host h =
        new HostBuilder()
            .transports(Transports.memory())
            .security(SecureChannels.plaintext())
            .listen("/ip4/127.0.0.1/tcp/0")
            .eventLoopThreads(1)
            .build();
    join(h.start());
    hosts.add(h);
    return h;
  }

  private KadDht server(KadDhtConfig.Builder b) {
    KadDht d = new KadDht(host(), b.validator("lotus", (k, v) -> {}).build());
    d.start();
    dhts.add(d);
    return d;
  }

  @AfterEach
  void stop() {
    dhts.forEach(KadDht::close);
    hosts.forEach(h -> join(h.closeAsync()));
  }

  private Stream open(Host from, KadDht to) {
    return join(from.newStream(to.host.listenAddresses().get(0), List.of(PROTO)));
  }

  /** Writes {@code msg} and reads one framed answer. */
  private static Message exchange(Stream s, Message msg) {
    join(s.write(KadCodec.frame(msg)));
    VarintFramer d = new VarintFramer(1 << 20, "kad message");
    while (true) {
      byte[] chunk = join(s.readSome(4096));
      if (chunk.length == 0) {
        throw new IllegalStateException("stream ended without answer");
      }
      List<byte[]> frames = d.feed(chunk);
      if (!frames.isEmpty()) {
        return KadCodec.parse(frames.get(0), 1000);
      }
    }
  }

  private static Message ping() {
    return Message.newBuilder().setType(MessageType.PING).build();
  }

  private static Message put(String key, String value) {
    return Message.newBuilder()
        .setType(MessageType.PUT_VALUE)
        .setKey(ByteString.copyFromUtf8(key))
        .setRecord(
            org.lotusia.libp2p.internal.proto.DhtProtos.Record.newBuilder()
                .setKey(ByteString.copyFromUtf8(key))
                .setValue(ByteString.copyFromUtf8(value)))
        .build();
  }

  @Test
  void severalRequestsOnOneStreamUpToTheLimit() {
    KadDht d = server(KadDhtConfig.builder().maxRequestsPerStream(3));
    Stream s = open(host(), d);
    for (int i = 0; i < 3; i++) {
      assertThat(exchange(s, ping()).getType()).isEqualTo(MessageType.PING);
    }
    assertThatThrownBy(() -> exchange(s, ping())).isInstanceOf(RuntimeException.class);
    await().atMost(Duration.ofSeconds(5)).until(() -> !s.isOpen());
  }

  @Test
  void silentStreamIsResetAfterTheRequestTimeout() {
    KadDht d = server(KadDhtConfig.builder().requestTimeout(Duration.ofMillis(300)));
    Stream s = open(host(), d);
    await().atMost(Duration.ofSeconds(5)).until(() -> !s.isOpen());
  }

  @Test
  void putEchoesAndGetAnswersWithTimeReceived() {
    KadDht d = server(KadDhtConfig.builder());
    Stream s = open(host(), d);
    Message req = put("/lotus/k", "v");
    assertThat(exchange(s, req)).isEqualTo(req); // js checks the echo
    Message got =
        exchange(
            s,
            Message.newBuilder()
                .setType(MessageType.GET_VALUE)
                .setKey(ByteString.copyFromUtf8("/lotus/k"))
                .build());
    assertThat(got.getRecord().getKey().toStringUtf8()).isEqualTo("/lotus/k");
    assertThat(got.getRecord().getValue().toStringUtf8()).isEqualTo("v");
    assertThat(got.getRecord().getTimeReceived()).matches("\\d{4}-\\d\\d-\\d\\dT.*\\.\\d{9}Z");
  }

  @Test
  void putOfUnknownNamespaceResetsTheStream() {
    KadDht d = server(KadDhtConfig.builder());
    Stream s = open(host(), d);
    assertThatThrownBy(() -> exchange(s, put("/ipns/k", "v"))).isInstanceOf(RuntimeException.class);
    assertThat(join(KadInteropAccess.localValue(d, utf8("/ipns/k")))).isEmpty();
  }

  @Test
  void lotusSdkKeysNeedTheUnnamespacedValidator() {
    KadDht strict = server(KadDhtConfig.builder());
    Stream s = open(host(), strict);
    assertThatThrownBy(() -> exchange(s, put("resource:t:1", "{}")))
        .isInstanceOf(RuntimeException.class);
    KadDht lotus = server(KadDhtConfig.builder().unnamespacedValidator((k, v) -> {}));
    Stream s2 = open(host(), lotus);
    Message req = put("resource:t:1", "{}");
    assertThat(exchange(s2, req)).isEqualTo(req);
  }

  @Test
  void perPeerRecordQuotaRefusesTheFlood() {
    KadDht d = server(KadDhtConfig.builder().recordLimits(1000, 1 << 20, 5));
    Host attacker = host();
    for (int i = 0; i < 5; i++) {
      Stream s = open(attacker, d);
      exchange(s, put("/lotus/" + i, "x"));
      s.close();
    }
    Stream s = open(attacker, d);
    assertThatThrownBy(() -> exchange(s, put("/lotus/6", "x")))
        .isInstanceOf(RuntimeException.class);
    // another peer may still store
    Stream other = open(host(), d);
    Message req = put("/lotus/7", "x");
    assertThat(exchange(other, req)).isEqualTo(req);
  }

  @Test
  void addProviderForSomeoneElseIsIgnored() {
    KadDht d = server(KadDhtConfig.builder());
    Host attacker = host();
    Host victim = host();
    byte[] mh = Multihash.sha256(utf8("c")).toBytes();
    Message forged =
        Message.newBuilder()
            .setType(MessageType.ADD_PROVIDER)
            .setKey(ByteString.copyFrom(mh))
            .addProviderPeers(
                KadCodec.toPb(
                    new KadPeer(
                        victim.peerId(),
                        List.of(hosts.get(0).listenAddresses().get(0).withoutPeerId())),
                    false))
            .build();
    Stream s = open(attacker, d);
    join(s.write(KadCodec.frame(forged)));
    Message honest =
        forged.toBuilder()
            .setProviderPeers(
                0,
                KadCodec.toPb(
                    new KadPeer(
                        attacker.peerId(),
                        List.of(attacker.listenAddresses().get(0).withoutPeerId())),
                    false))
            .build();
    join(s.write(KadCodec.frame(honest)));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> join(KadInteropAccess.localProviders(d, mh)).contains(attacker.peerId()));
    assertThat(join(KadInteropAccess.localProviders(d, mh))).containsExactly(attacker.peerId());
  }

  @Test
  void closeFailsPendingAndLaterCalls() {
    KadDht d = server(KadDhtConfig.builder());
    d.close();
    CompletableFuture<?> f = d.get(utf8("/lotus/x"));
    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).hasMessageContaining("closed");
    assertThatThrownBy(() -> d.routingTablePeers().get(5, TimeUnit.SECONDS))
        .hasMessageContaining("closed");
  }

  @Test
  void closeResetsOpenInboundStreams() {
    // a long idle timeout, so only close() can end the stream within the wait
    KadDht d = server(KadDhtConfig.builder().requestTimeout(Duration.ofSeconds(60)));
    Stream s = open(host(), d);
    assertThat(exchange(s, ping()).getType()).isEqualTo(MessageType.PING);
    d.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> !s.isOpen());
  }

  @Test
  void aDependentStageThatBlocksDoesNotStallTheDht() {
    KadDht d = server(KadDhtConfig.builder());
    // a caller that waits for a second DHT call inside a callback of the first one
    CompletableFuture<Integer> nested =
        d.routingTablePeers()
            .thenApply(
                peers -> {
                  try {
                    return d.routingTablePeers().get(10, TimeUnit.SECONDS).size();
                  } catch (Exception e) {
                    throw new IllegalStateException("the DHT stalled", e);
                  }
                });
    assertThat(join(nested)).isZero();
  }

  @Test
  void aPeerThatSendsWithoutReadingIsReset() {
    // a long idle timeout, so only the limit on unanswered requests can end the stream in time
    KadDht d = server(KadDhtConfig.builder().requestTimeout(Duration.ofSeconds(60)));
    Stream s = open(host(), d);
    byte[] one = KadCodec.frame(ping());
    int n = KadStreamHandler.MAX_UNANSWERED + 10;
    byte[] burst = new byte[one.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(one, 0, burst, i * one.length, one.length);
    }
    join(s.write(burst));
    await().atMost(Duration.ofSeconds(10)).until(() -> !s.isOpen());
  }

  @Test
  void waitingRequestsAreBoundedInBytesToo() {
    // six requests of 900 bytes in one write: under the count limit, over the 2 KiB byte budget.
    // The first request's validation is held, so the others wait for their answers however the
    // reads cut the burst; otherwise the DHT's thread could answer the first ones before the
    // stream's reader counted the third, and the budget would never be exceeded.
    CountDownLatch release = new CountDownLatch(1);
    KadDht d =
        new KadDht(
            host(),
            KadDhtConfig.builder()
                .maxMessageSize(2048)
                .requestTimeout(Duration.ofSeconds(60))
                .validator("lotus", (k, v) -> awaitUninterruptibly(release))
                .build());
    d.start();
    dhts.add(d);
    try {
      Stream s = open(host(), d);
      byte[] one = KadCodec.frame(put("/lotus/" + "x".repeat(440), "y".repeat(440)));
      byte[] burst = new byte[one.length * 6];
      for (int i = 0; i < 6; i++) {
        System.arraycopy(one, 0, burst, i * one.length, one.length);
      }
      join(s.write(burst));
      await().atMost(Duration.ofSeconds(10)).until(() -> !s.isOpen());
    } finally {
      release.countDown();
    }
    assertThat(d.stats().protocolViolations()).isEqualTo(1);
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
