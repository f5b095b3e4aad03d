package org.lotusia.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolNotSupportedException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.protocol.ping.PingSession;

/**
 * The Java host against real js-libp2p 3.x peers over TCP + Noise + Yamux, in both directions: the
 * handshake, identify, ping, 100 concurrent streams and 64 MiB transfers checked byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JsLibp2pInteropTest {
  private static final int BIG = 64 << 20;

  private JsPeer js;
  private Host java;
  private final Map<PeerId, IdentifyInfo> identified = new ConcurrentHashMap<>();
  private final Map<Connection, IdentifyInfo> identifiedOn = new ConcurrentHashMap<>();

  @BeforeAll
  void start() {
    JsInterop.requireJsPeer();
    js = new JsPeer("interop");
    java = startJava(Keys.generateEd25519().type());
    js.awaitReady(Duration.ofSeconds(60));
  }

  private Host startJava(KeyType type) {
    Host h = new HostBuilder().identity(Keys.generate(type)).listen("/ip4/127.0.0.1/tcp/0").build();
    h.addProtocol(new Ping());
    TestProtocols.serve(h);
    h.addListener(
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            identified.put(connection.remotePeer(), info);
            identifiedOn.put(connection, info);
          }
        });
    join(h.start());
    return h;
  }

  @AfterAll
  void stop() {
    if (java != null) {
      java.closeAsync();
    }
    if (js != null) {
      js.close();
    }
  }

  private PeerId jsId() {
    return PeerId.parse(js.peerId());
  }

  private Multiaddr javaAddr() {
    return java.listenAddresses().get(0);
  }

  @Test
  void javaDialsJsAndBothSidesIdentify() {
    Connection c = join(java.dial(Multiaddr.parse(js.addr()), DialOptions.FORCE));
    assertThat(c.remotePeer()).isEqualTo(jsId());
    assertThat(c.securityProtocol()).isEqualTo("/noise");
    assertThat(c.muxerProtocol()).isEqualTo("/yamux/1.0.0");

    await().atMost(Duration.ofSeconds(20)).until(() -> identifiedOn.containsKey(c));
    IdentifyInfo info = identifiedOn.get(c);
    assertThat(info.protocols()).contains(JsPeer.ECHO, "/ipfs/ping/1.0.0", "/ipfs/id/1.0.0");
    assertThat(info.agentVersion()).startsWith("js-libp2p/");
    assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(PeerId.fromPublicKey(info.publicKey())).isEqualTo(jsId());
    assertThat(info.listenAddrs()).contains(Multiaddr.parse(js.addr()).withoutPeerId());
    // js saw our outbound socket: 127.0.0.1 and the local port of this connection
    assertThat(info.observedAddr().map(Multiaddr::withoutPeerId))
        .contains(c.localAddress().withoutPeerId());

    JsonNode seen =
        js.awaitEvent(
            e ->
                "identify".equals(e.path("event").asText())
                    && java.peerId().toString().equals(e.path("peer").asText()),
            Duration.ofSeconds(20));
    assertThat(seen.get("agentVersion").asText()).startsWith("lotus-p2p-java/");
    assertThat(seen.get("protocols").toString()).contains(JsPeer.ECHO, "/ipfs/ping/1.0.0");
    assertThat(seen.get("listenAddrs").toString()).contains(javaAddr().withoutPeerId().toString());
    assertThat(Base64.getDecoder().decode(seen.get("publicKey").asText()))
        .isEqualTo(java.identity().publicKey().encoded());
  }

  @Test
  void jsDialsJavaAndBothSidesIdentify() {
    JsPeer other = new JsPeer("interop-dialer");
    try {
      other.awaitReady(Duration.ofSeconds(60));
      JsonNode conn = other.cmd("dial", Map.of("addr", javaAddr().toString()));
      assertThat(conn.get("encryption").asText()).isEqualTo("/noise");
      assertThat(conn.get("multiplexer").asText()).isEqualTo("/yamux/1.0.0");
      assertThat(conn.get("peer").asText()).isEqualTo(java.peerId().toString());

      PeerId otherId = PeerId.parse(other.peerId());
      await().atMost(Duration.ofSeconds(20)).until(() -> identified.containsKey(otherId));
      assertThat(identified.get(otherId).protocols()).contains(JsPeer.SINK);
      assertThat(java.peerStore().agentVersion(otherId))
          .hasValueSatisfying(v -> assertThat(v).startsWith("js-libp2p/"));

      JsonNode seen =
          other.awaitEvent(
              e -> "identify".equals(e.path("event").asText()), Duration.ofSeconds(20));
      assertThat(seen.get("peer").asText()).isEqualTo(java.peerId().toString());
      assertThat(seen.get("protocols").toString()).contains(JsPeer.SOURCE);
      JsonNode info = other.cmd("peer-info", Map.of("peer", java.peerId().toString()));
      assertThat(info.get("agentVersion").asText()).startsWith("lotus-p2p-java/");
    } finally {
      other.close();
    }
  }

  @Test
  void pingsBothWays() throws Exception {
    PingSession session = join(java.newStream(Multiaddr.parse(js.addr()), new Ping()));
    for (int i = 0; i < 5; i++) {
      assertThat(session.ping().get(10, TimeUnit.SECONDS)).isPositive();
    }
    join(session.close());
    assertThat(js.cmd("ping", Map.of("addr", javaAddr().toString())).get("rttMs").asDouble())
        .isGreaterThanOrEqualTo(0);
  }

  @Test
  void hundredConcurrentStreamsEachWay() {
    SecureRandom random = new SecureRandom();
    List<CompletableFuture<Boolean>> echoes = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      byte[] payload = new byte[8192 + i];
      random.nextBytes(payload);
      echoes.add(
          java.newStream(Multiaddr.parse(js.addr()), List.of(JsPeer.ECHO))
              .thenCompose(
                  s ->
                      s.write(payload)
                          .thenCompose(v -> s.closeWrite())
                          .thenCompose(v -> s.readAll(1 << 20))
                          .thenApply(back -> Arrays.equals(back, payload))));
    }
    assertThat(echoes).allSatisfy(f -> assertThat(join(f)).isTrue());

    JsonNode r =
        js.cmd("echo", Map.of("peer", java.peerId().toString(), "streams", 100, "bytes", 8192));
    assertThat(r.get("streams").asInt()).isEqualTo(100);
  }

  @Test
  void streamsOpenedWithTheirDataEchoFromJsAndAnUnknownProtocolFails() {
    join(java.dial(Multiaddr.parse(js.addr())));
    SecureRandom random = new SecureRandom();
    List<CompletableFuture<Boolean>> echoes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      byte[] payload = new byte[1 + i * 97];
      random.nextBytes(payload);
      // proposal, data and FIN in one write: js-libp2p's responder must take the data that
      // follows the proposal before its echo, and the FIN after it
      echoes.add(
          java.newStreamWithData(jsId(), JsPeer.ECHO, payload, true)
              .thenCompose(s -> s.readAll(1 << 20))
              .thenApply(back -> Arrays.equals(back, payload)));
    }
    assertThat(echoes).allSatisfy(f -> assertThat(join(f)).isTrue());

    assertThatThrownBy(
            () -> join(java.newStreamWithData(jsId(), "/test/absent/1.0.0", new byte[] {1}, true)))
        .isInstanceOf(ProtocolNotSupportedException.class);
    // the refused stream leaves the connection usable
    Stream s = join(java.newStreamWithData(jsId(), JsPeer.ECHO, new byte[] {7}, true));
    assertThat(join(s.readAll(16))).containsExactly(7);
  }

  @Test
  void bigTransfersJavaToJsAndBack() {
    Stream toSink = join(java.newStream(Multiaddr.parse(js.addr()), List.of(JsPeer.SINK)));
    byte[] sent = join(TestProtocols.sendPattern(toSink, BIG));
    join(toSink.closeWrite());
    assertThat(join(toSink.readAll(64)))
        .as("js checked every byte and answers their SHA-256")
        .isEqualTo(sent);

    Stream fromSource = join(java.newStream(Multiaddr.parse(js.addr()), List.of(JsPeer.SOURCE)));
    join(fromSource.write(ByteBuffer.allocate(8).putLong(BIG).array()));
    TestProtocols.PatternChecker got = join(TestProtocols.receivePattern(fromSource));
    assertThat(got.bytes()).isEqualTo(BIG);
  }

  @Test
  void bigTransfersJsToJavaAndBack() {
    JsonNode sink = js.cmd("sink", Map.of("peer", java.peerId().toString(), "bytes", BIG));
    JsonNode source = js.cmd("source", Map.of("peer", java.peerId().toString(), "bytes", BIG));
    assertThat(sink.get("sha256").asText()).isEqualTo(source.get("sha256").asText());
    assertThat(source.get("bytes").asLong()).isEqualTo(BIG);
  }

  /**
   * ECDSA is left out: js-libp2p 3 cannot derive a peer ID from an ECDSA key, so it cannot take
   * part.
   */
  @ParameterizedTest
  @EnumSource(
      value = KeyType.class,
      names = {"ED25519", "SECP256K1", "RSA"})
  void noiseWorksWithEveryIdentityKeyTypeJsSupports(KeyType type) {
    String jsType =
        switch (type) {
          case ED25519 -> "Ed25519";
          case SECP256K1 -> "secp256k1";
          case RSA -> "RSA";
          default -> throw new IllegalArgumentException(type.toString());
        };
    Host h = startJava(type);
    JsPeer other = new JsPeer("keytype-" + jsType, "--key-type", jsType);
    try {
      other.awaitReady(Duration.ofSeconds(60));
      PeerId otherId = PeerId.parse(other.peerId());
      Connection c = join(h.dial(Multiaddr.parse(other.addr())));
      assertThat(c.remotePeer()).isEqualTo(otherId);
      assertThat(
              other
                  .cmd("ping", Map.of("addr", h.listenAddresses().get(0).toString()))
                  .get("ok")
                  .asBoolean())
          .isTrue();
    } finally {
      other.close();
      h.closeAsync();
    }
  }

  @Test
  void aDifferentKeyThanTheDialledPeerIdFailsTheHandshake() {
    PeerId someoneElse = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    Multiaddr wrong = Multiaddr.parse(js.addr()).withoutPeerId().withPeerId(someoneElse);
    assertThatThrownBy(() -> join(java.dial(wrong)))
        .hasMessageContaining(someoneElse.toString())
        .hasMessageContaining(js.peerId());
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(120, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
