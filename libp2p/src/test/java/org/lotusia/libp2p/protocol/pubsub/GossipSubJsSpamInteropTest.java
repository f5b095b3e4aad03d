package org.lotusia.libp2p.protocol.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.interop.JsInterop;
import org.lotusia.libp2p.interop.JsPeer;

/**
 * A Java node between js-libp2p peers ({@code @libp2p/gossipsub}, StrictSign) keeps relaying gossip
 * while one js peer publishes messages the Java node's validator rejects: the spammer is graylisted
 * with the default score parameters (no per-topic tuning), its messages go no further, and every
 * valid message of another js peer reaches the third one through Java.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GossipSubJsSpamInteropTest {
  private static final String TOPIC = "lotus/interop/spam";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final List<JsPeer> js = new ArrayList<>();
  private Host host;
  private GossipSub java;

  @AfterEach
  void stop() {
    if (java != null) {
      java.close();
    }
    if (host != null) {
      host.closeAsync().orTimeout(30, TimeUnit.SECONDS).join();
    }
    js.forEach(JsPeer::close);
  }

  private JsPeer jsPeer(String name) {
    JsPeer p = new JsPeer(name, "--gossip");
    js.add(p);
    return p;
  }

  private static <T> T join(CompletableFuture<T> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static List<String> peers(JsonNode reply) {
    List<String> out = new ArrayList<>();
    reply.get("peers").forEach(n -> out.add(n.asText()));
    return out;
  }

  private static int received(JsPeer p, String prefix) {
    return p.cmd("received", Map.of("topic", TOPIC, "prefix", prefix)).get("count").asInt();
  }

  @Test
  void javaKeepsRelayingWhileAJsPeerPublishesInvalidMessages() {
    JsInterop.requireJsPeer();
    JsPeer spammer = jsPeer("gossip-spammer");
    JsPeer publisher = jsPeer("gossip-publisher");
    JsPeer receiver = jsPeer("gossip-receiver");
    js.forEach(p -> p.awaitReady(Duration.ofSeconds(60)));
    host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    join(host.start());
    java = new GossipSub(host, GossipSubConfig.defaults());
    join(java.start());
    java.addValidator(
        TOPIC,
        m ->
            new String(m.data()).startsWith("invalid")
                ? TopicValidationResult.REJECT
                : TopicValidationResult.ACCEPT);
    List<String> atJava = new CopyOnWriteArrayList<>();
    join(java.subscribe(TOPIC, m -> atJava.add(new String(m.data()))));
    String javaId = host.peerId().toBase58();
    for (JsPeer p : js) {
      p.cmd("subscribe", Map.of("topic", TOPIC));
      join(host.dial(Multiaddr.parse(p.addr())));
    }
    // the js peers know only Java: everything between them goes through it
    for (JsPeer p : js) {
      PeerId id = PeerId.parse(p.peerId());
      await()
          .atMost(WAIT)
          .until(
              () ->
                  join(java.meshPeers(TOPIC)).contains(id)
                      && peers(p.cmd("mesh-peers", Map.of("topic", TOPIC))).contains(javaId));
      for (JsPeer other : js) {
        if (other != p) {
          assertThat(peers(p.cmd("topic-peers", Map.of("topic", TOPIC))))
              .doesNotContain(other.peerId());
        }
      }
    }
    PeerId spammerId = PeerId.parse(spammer.peerId());
    JsonNode spam =
        spammer.cmd("publish-many", Map.of("topic", TOPIC, "prefix", "invalid-", "count", 200));
    assertThat(spam.get("published").asInt()).isEqualTo(200);
    JsonNode sent =
        publisher.cmd("publish-many", Map.of("topic", TOPIC, "prefix", "valid-", "count", 50));
    assertThat(sent.get("published").asInt()).isEqualTo(50);
    // every valid message crossed Java; no invalid one did
    await().atMost(WAIT).until(() -> received(receiver, "valid-") == 50);
    await()
        .atMost(WAIT)
        .until(() -> atJava.stream().filter(d -> d.startsWith("valid-")).count() == 50);
    assertThat(received(receiver, "invalid-")).isZero();
    assertThat(atJava).noneMatch(d -> d.startsWith("invalid"));
    // the spammer was graylisted with the default parameters: after a few rejects, its RPCs were
    // ignored unread; its score stays negative for a while, so it is out of the mesh
    GossipSubStats s = java.stats();
    assertThat(s.invalid()).isBetween(3L, 200L);
    assertThat(s.graylistedRpcs()).isPositive();
    assertThat(join(java.score(spammerId))).isNegative();
    await().atMost(WAIT).until(() -> !join(java.meshPeers(TOPIC)).contains(spammerId));
    // and Java keeps relaying afterwards
    publisher.cmd("publish-many", Map.of("topic", TOPIC, "prefix", "later-", "count", 10));
    await().atMost(WAIT).until(() -> received(receiver, "later-") == 10);
  }
}
