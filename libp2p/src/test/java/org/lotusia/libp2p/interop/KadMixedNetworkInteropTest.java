package org.lotusia.libp2p.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadDhtConfig;
import org.lotusia.libp2p.protocol.kad.RecordSelector;
import org.lotusia.libp2p.protocol.kad.RecordValidator;

/**
 * A mixed network as lotus-sdk runs it: three js-libp2p nodes with {@code @libp2p/kad-dht} 16.1.0
 * (the version lotus-sdk pins) and three Java nodes, all DHT servers on {@code /lotus/kad/1.0.0},
 * connected in a line (J1 - A - B - J2 - C - J3) so that most records must be found through
 * lookups. Every node puts one {@code resource:<type>:<id>} record whose value is lotus-sdk's
 * {@code ResourceAnnouncement} JSON, and every node must then get every record with its exact
 * value.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KadMixedNetworkInteropTest {
  private static final String PROTO = KadDhtConfig.LOTUS_PROTOCOL;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<JsPeer> js = new ArrayList<>();
  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> java = new ArrayList<>();

  /** Accepts lotus-sdk announcements whose type and id match the key. */
  static final RecordValidator ANNOUNCEMENT =
      (key, value) -> {
        String[] parts = new String(key, StandardCharsets.UTF_8).split(":", 3);
        JsonNode v = parse(value);
        if (parts.length != 3
            || !parts[0].equals("resource")
            || !v.path("resourceType").asText().equals(parts[1])
            || !v.path("resourceId").asText().equals(parts[2])
            || !v.path("createdAt").canConvertToLong()) {
          throw new IllegalArgumentException("not a resource announcement for this key");
        }
      };

  /** The announcement created last wins. */
  static final RecordSelector NEWEST =
      (key, values) -> {
        int best = 0;
        for (int i = 1; i < values.size(); i++) {
          if (parse(values.get(i)).path("createdAt").asLong()
              > parse(values.get(best)).path("createdAt").asLong()) {
            best = i;
          }
        }
        return best;
      };

  static JsonNode parse(byte[] value) {
    try {
      return JSON.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(90, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private KadDht javaNode() {
    Host h = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    join(h.start());
    hosts.add(h);
    KadDht d =
        new KadDht(
            h,
            KadDhtConfig.builder()
                .protocolId(PROTO)
                .requestTimeout(Duration.ofSeconds(5))
                .queryTimeout(Duration.ofSeconds(30))
                .unnamespacedValidator(ANNOUNCEMENT)
                .unnamespacedSelector(NEWEST)
                .build());
    d.start();
    java.add(d);
    return d;
  }

  @AfterEach
  void stop() {
    java.forEach(KadDht::close);
    hosts.forEach(h -> join(h.closeAsync()));
    js.forEach(JsPeer::close);
  }

  /** lotus-sdk's announcement JSON, fields in its order. */
  private static String announcement(String type, String id, String creator, long createdAt) {
    ObjectNode o = JSON.createObjectNode();
    o.put("resourceId", id);
    o.put("resourceType", type);
    o.put("creatorPeerId", creator);
    o.putObject("data").put("creator", creator).put("n", 1);
    o.put("createdAt", createdAt);
    o.put("expiresAt", createdAt + 3_600_000);
    return o.toString();
  }

  @Test
  void everyNodeFindsEveryRecord() {
    JsInterop.requireJsPeer();
    for (String name : List.of("mixA", "mixB", "mixC")) {
      js.add(new JsPeer(name, "--dht", "--dht-lotus-sdk", "--dht-protocol", PROTO));
    }
    KadDht j1 = javaNode();
    KadDht j2 = javaNode();
    KadDht j3 = javaNode();
    js.forEach(p -> p.awaitReady(Duration.ofSeconds(60)));
    JsPeer a = js.get(0);
    JsPeer b = js.get(1);
    JsPeer c = js.get(2);
    // the line J1 - A - B - J2 - C - J3
    join(j1.host().dial(Multiaddr.parse(a.addr())));
    a.cmd("dial", Map.of("addr", b.addr()));
    b.cmd("dial", Map.of("addr", j2.host().listenAddresses().get(0).toString()));
    join(j2.host().dial(Multiaddr.parse(c.addr())));
    c.cmd("dial", Map.of("addr", j3.host().listenAddresses().get(0).toString()));
    for (KadDht d : java) {
      await().atMost(Duration.ofSeconds(30)).until(() -> d.routingTableSize() > 0);
    }
    for (JsPeer p : js) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> p.cmd("dht-routing-table", Map.of()).get("peers").size() >= 2);
    }
    for (KadDht d : java) {
      join(d.bootstrap());
    }
    for (JsPeer p : js) {
      p.cmd("dht-closest-peer", Map.of("peer", p.peerId()));
    }

    Map<String, String> records = new LinkedHashMap<>();
    long t = System.currentTimeMillis();
    int i = 0;
    for (KadDht d : java) {
      String id = "java-" + i++;
      String value = announcement("session", id, d.host().peerId().toString(), t + i);
      String key = "resource:session:" + id;
      assertThat(join(d.put(utf8(key), utf8(value)))).isNotEmpty();
      records.put(key, value);
    }
    for (JsPeer p : js) {
      String id = "js-" + i++;
      String value = announcement("session", id, p.peerId(), t + i);
      String key = "resource:session:" + id;
      JsonNode put = p.cmd("dht-put", Map.of("key", key, "value", value));
      assertThat(put.get("storedAt").size()).isPositive();
      records.put(key, value);
    }

    records.forEach(
        (key, value) -> {
          for (KadDht d : java) {
            assertThat(join(d.get(utf8(key))).map(v -> new String(v, StandardCharsets.UTF_8)))
                .as("Java node %s gets %s", d.host().peerId(), key)
                .hasValue(value);
          }
          for (JsPeer p : js) {
            assertThat(p.cmd("dht-get", Map.of("key", key)).get("value").asText())
                .as("js node %s gets %s", p.peerId(), key)
                .isEqualTo(value);
          }
        });
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
