package org.lotusia.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.multiformats.Multihash;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadDhtConfig;
import org.lotusia.libp2p.protocol.kad.KadInteropAccess;
import org.lotusia.libp2p.protocol.kad.KadPeer;

/**
 * The Java Kad-DHT against js-libp2p's {@code @libp2p/kad-dht} 16.4.5 on {@code /lotus/kad/1.0.0}
 * with a {@code lotus} namespace, in both directions: PUT_VALUE/GET_VALUE, FIND_NODE and
 * ADD_PROVIDER/GET_PROVIDERS.
 *
 * <p>Topology: Java server J is connected to js A, B, C; A is connected to B and D; a Java
 * client-mode node K is connected to A only. So C is known only through J, and D only through A.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class KadJsInteropTest {
  private static final String PROTO = KadDhtConfig.LOTUS_PROTOCOL;
  private static final String[] JS_ARGS = {"--dht", "--dht-protocol", PROTO, "--dht-ns", "lotus"};

  private final List<JsPeer> js = new ArrayList<>();
  private JsPeer a;
  private JsPeer b;
  private JsPeer c;
  private JsPeer d;
  private Host javaHost;
  private KadDht java;
  private Host clientHost;
  private KadDht client;

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static KadDhtConfig config(boolean clientMode) {
    return KadDhtConfig.builder()
        .protocolId(PROTO)
        .clientMode(clientMode)
        .requestTimeout(Duration.ofSeconds(5))
        .queryTimeout(Duration.ofSeconds(30))
        .validator("lotus", (k, v) -> {})
        .build();
  }

  private static Host tcpHost() {
    Host h = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    join(h.start());
    return h;
  }

  private static PeerId id(JsPeer p) {
    return PeerId.parse(p.peerId());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private List<String> jsTable(JsPeer p) {
    return texts(p.cmd("dht-routing-table", Map.of()).get("peers"));
  }

  @BeforeAll
  void start() {
    JsInterop.requireJsPeer();
    for (String name : List.of("kadA", "kadB", "kadC", "kadD")) {
      js.add(new JsPeer(name, JS_ARGS));
    }
    a = js.get(0);
    b = js.get(1);
    c = js.get(2);
    d = js.get(3);
    javaHost = tcpHost();
    java = new KadDht(javaHost, config(false));
    java.start();
    js.forEach(p -> p.awaitReady(Duration.ofSeconds(60)));
    for (JsPeer p : List.of(a, b, c)) {
      join(javaHost.dial(Multiaddr.parse(p.addr())));
    }
    a.cmd("dial", Map.of("addr", b.addr()));
    a.cmd("dial", Map.of("addr", d.addr()));
    clientHost = tcpHost();
    client = new KadDht(clientHost, config(true));
    client.start();
    join(clientHost.dial(Multiaddr.parse(a.addr())));

    String j = javaHost.peerId().toString();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(java.routingTablePeers()).containsAll(List.of(id(a), id(b), id(c))));
    await().atMost(Duration.ofSeconds(30)).until(() -> jsTable(a).contains(j));
    await().atMost(Duration.ofSeconds(30)).until(() -> jsTable(c).contains(j));
    await().atMost(Duration.ofSeconds(30)).until(() -> jsTable(a).contains(d.peerId()));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(client.routingTablePeers()).contains(id(a)));
    // a js node never adds the client-mode Java node: it does not announce the protocol
    assertThat(jsTable(a)).doesNotContain(clientHost.peerId().toString());
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
      join(clientHost.closeAsync());
    }
    if (java != null) {
      java.close();
      join(javaHost.closeAsync());
    }
    js.forEach(JsPeer::close);
  }

  @Test
  void javaPutIsStoredByJsAndJsGetFindsIt() {
    List<PeerId> stored = join(java.put(utf8("/lotus/j2js"), utf8("from java")));
    assertThat(stored).contains(id(a), id(b), id(c));
    JsonNode got = d.cmd("dht-get", Map.of("key", "/lotus/j2js"));
    assertThat(got.get("value").asText()).isEqualTo("from java");
  }

  @Test
  void jsGetAcceptsTheRecordJavaServes() {
    // only the Java node holds this record: js's GET_VALUE must accept Java's answer
    // (exact key, RFC 3339 timeReceived, valid namespace)
    byte[] key = utf8("/lotus/only-java");
    join(KadInteropAccess.storeLocally(java, key, utf8("served by java")));
    JsonNode got = c.cmd("dht-get", Map.of("key", "/lotus/only-java"));
    assertThat(got.get("value").asText()).isEqualTo("served by java");
    assertThat(got.get("from").asText()).isEqualTo(javaHost.peerId().toString());
  }

  @Test
  void jsPutIsStoredByJavaAndJavaGetFindsIt() {
    JsonNode put = b.cmd("dht-put", Map.of("key", "/lotus/js2j", "value", "from js"));
    assertThat(texts(put.get("storedAt"))).contains(javaHost.peerId().toString());
    assertThat(join(KadInteropAccess.localValue(java, utf8("/lotus/js2j"))))
        .hasValue(utf8("from js"));
    // the client-mode Java node only knows A: its GET_VALUE goes to js
    assertThat(join(client.get(utf8("/lotus/js2j")))).hasValue(utf8("from js"));
  }

  @Test
  void javaFindNodeAgainstJs() {
    // D is connected to A only: Java learns it from A's FIND_NODE answer
    Optional<KadPeer> found = join(java.findPeer(id(d)));
    assertThat(found).isPresent();
    assertThat(found.get().addresses()).contains(Multiaddr.parse(d.addr()).withoutPeerId());
    List<KadPeer> closest = join(client.getClosestPeers(utf8("/lotus/anything")));
    assertThat(closest).extracting(KadPeer::id).contains(id(a), id(b), id(d));
  }

  @Test
  void jsFindNodeAgainstJava() {
    // C is connected to the Java node only: A finds it through Java's FIND_NODE answer
    JsonNode found = a.cmd("dht-find-peer", Map.of("peer", c.peerId()));
    assertThat(found.get("peer").asText()).isEqualTo(c.peerId());
    assertThat(texts(found.get("addrs"))).isNotEmpty();
    JsonNode closest = c.cmd("dht-closest", Map.of("key", "/lotus/anything"));
    assertThat(texts(closest.get("peers"))).contains(javaHost.peerId().toString());
  }

  @Test
  void javaProvidesJsFinds() {
    byte[] mh = Multihash.sha256(utf8("java content")).toBytes();
    List<PeerId> told = join(java.provide(mh));
    assertThat(told).contains(id(a));
    JsonNode res = d.cmd("dht-find-providers", Map.of("mh", HexFormat.of().formatHex(mh)));
    assertThat(res.get("providers").findValuesAsText("peer"))
        .contains(javaHost.peerId().toString());
  }

  @Test
  void jsProvidesJavaFinds() {
    byte[] mh = Multihash.sha256(utf8("js content")).toBytes();
    JsonNode res = b.cmd("dht-provide", Map.of("mh", HexFormat.of().formatHex(mh)));
    assertThat(texts(res.get("sentTo"))).contains(javaHost.peerId().toString());
    // ADD_PROVIDER has no answer: js reports SEND_QUERY before it writes, and its provide ends
    // once the messages are written, not once the Java server stored them. Wait for the store.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> join(KadInteropAccess.localProviders(java, mh)).contains(id(b)));
    // the client node knows only A; A's GET_PROVIDERS answer leads it to the Java server
    List<KadPeer> providers = join(client.findProviders(mh, 5));
    assertThat(providers).extracting(KadPeer::id).contains(id(b));
    assertThat(providers.get(0).addresses()).isNotEmpty();
  }
}
