package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lotus-p2p demo} through the launcher: every available step passes and says what it checked. */
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
    for (JsonNode s : steps.subList(0, 5)) {
      assertThat(s.path("ok").asBoolean()).as(s.toString()).isTrue();
    }
    assertThat(steps.get(0).path("results").path("peerIds").size()).isEqualTo(4);
    assertThat(steps.get(2).path("results").path("key").asText()).isEqualTo("resource:demo-service:svc-1");
    JsonNode musig = steps.get(5);
    assertThat(musig.path("available").asBoolean()).isFalse();
    assertThat(musig.path("ok").asBoolean()).isFalse();
    assertThat(musig.path("reason").asText()).startsWith("not available in this build");
    assertThat(steps.get(6).path("passed").asInt()).isEqualTo(5);
    assertThat(r.err()).doesNotContain("\u001b[");
  }

  @Test
  void theReadableDemoShowsStepsAndTimings() throws Exception {
    Launcher.Result r = Launcher.run("demo", "--nodes", "2");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("[1/6] start: start 2 nodes on loopback")
        .containsPattern("ok \\(\\d+\\.\\d s\\): all 1 other nodes received node 0's message")
        .contains("not available in this build")
        .containsPattern("demo finished in \\d+\\.\\d s: 5 steps passed, 1 not available in this build");
  }
}
