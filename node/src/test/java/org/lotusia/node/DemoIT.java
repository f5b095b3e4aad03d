package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.LotusSchnorr;

/** {@code lotus-p2p demo} through the launcher: every step passes and says what it checked. */
class DemoIT {

  @Test
  void theDemoPassesAndReportsEachStepAsJson() throws Exception {
    long t0 = System.nanoTime();
    Launcher.Result r = Launcher.run("demo", "--json", "--nodes", "4");
    long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(seconds).as("well under a minute").isLessThan(60);
    List<JsonNode> steps = new ArrayList<>();
    for (String l : r.out().lines().toList()) {
      steps.add(NodeProcess.JSON.readTree(l));
    }
    assertThat(steps).extracting(s -> s.path("step").asText())
        .containsExactly("start", "bootstrap", "resource", "topic", "direct", "musig2", "summary");
    for (JsonNode s : steps.subList(0, 6)) {
      assertThat(s.path("ok").asBoolean()).as(s.toString()).isTrue();
      assertThat(s.path("available").asBoolean()).as(s.toString()).isTrue();
    }
    assertThat(steps.get(0).path("results").path("peerIds").size()).isEqualTo(4);
    assertThat(steps.get(2).path("results").path("key").asText()).isEqualTo("resource:demo-service:svc-1");
    // the 3-of-3 session: what the demo prints is a Lotus Schnorr signature of the message under
    // the aggregate key, checked here again
    JsonNode musig = steps.get(5).path("results");
    HexFormat hex = HexFormat.of();
    byte[] key = hex.parseHex(musig.path("aggregateKey").asText());
    byte[] message = hex.parseHex(musig.path("message").asText());
    byte[] signature = hex.parseHex(musig.path("signature").asText());
    assertThat(key).hasSize(33);
    assertThat(message).hasSize(32);
    assertThat(signature).hasSize(64);
    assertThat(musig.path("verified").asBoolean()).isTrue();
    assertThat(LotusSchnorr.verify(signature, key, message)).isTrue();
    assertThat(steps.get(6).path("passed").asInt()).isEqualTo(6);
    assertThat(steps.get(6).path("unavailable").asInt()).isZero();
    assertThat(r.err()).doesNotContain("\u001b[");
  }

  @Test
  void theReadableDemoShowsStepsAndTimings() throws Exception {
    Launcher.Result r = Launcher.run("demo", "--nodes", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("[1/6] start: start 2 nodes on loopback")
        .containsPattern("ok \\(\\d+\\.\\d s\\): all 1 other nodes received node 0's message")
        .containsPattern("ok \\(\\d+\\.\\d s\\): nodes 0, 1 and 2 signed together")
        .containsPattern("aggregateKey: 0[23][0-9a-f]{64}\n")
        .containsPattern("message: [0-9a-f]{64}\n")
        .containsPattern("signature: [0-9a-f]{128}\n")
        .doesNotContain("not available")
        .containsPattern("demo finished in \\d+\\.\\d s: 6 steps passed\n");
  }
}
