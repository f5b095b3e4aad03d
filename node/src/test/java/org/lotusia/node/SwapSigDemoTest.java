package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.tx.Transaction;

/** {@code lotus-p2p swapsig demo}: a whole pool between loopback nodes on an embedded chain. */
class SwapSigDemoTest {

  @Test
  void demoPoolCompletesAndPrintsEveryTransaction() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"swapsig", "demo", "--participants", "3", "--block-ms", "300", "--json"},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString() + out).isZero();
    ObjectMapper m = new ObjectMapper();
    List<JsonNode> steps = new ArrayList<>();
    for (String l : out.toString().split("\n")) {
      steps.add(m.readTree(l));
    }
    assertThat(steps).extracting(s -> s.path("step").asText())
        .containsExactly("chain", "nodes", "announce", "discover", "register", "setup", "reveal", "settlement",
            "check", "summary");
    for (JsonNode s : steps) {
      assertThat(s.path("ok").asBoolean()).as(s.toString()).isTrue();
    }
    assertThat(steps.get(1).path("results").path("peerIds").size()).isEqualTo(4);
    assertThat(steps.get(4).path("results").path("coins").size()).isEqualTo(3);
    // the setup and settlement steps carry every transaction broadcast, raw
    for (int i : new int[] {5, 7}) {
      JsonNode txs = steps.get(i).path("results").path("transactions");
      assertThat(txs.size()).isEqualTo(3);
      Set<String> ids = new HashSet<>();
      for (JsonNode t : txs) {
        Transaction tx = Transaction.fromHex(t.path("hex").asText());
        assertThat(tx.txid()).isEqualTo(t.path("txid").asText());
        ids.add(tx.txid());
      }
      assertThat(ids).hasSize(3);
    }
    assertThat(steps.get(7).path("results").path("payouts").size()).isEqualTo(3);
    assertThat(steps.get(9).path("passed").asInt()).isEqualTo(9);
  }

  @Test
  void readableOutputNamesEachPhase() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new String[] {"swapsig", "demo", "--participants", "3", "--block-ms", "300"},
            new PrintWriter(out, true),
            new PrintWriter(err, true));
    assertThat(code).as(err.toString() + out).isZero();
    assertThat(out.toString())
        .contains("[1/9] chain: ")
        .contains("[6/9] setup: ")
        .contains("[8/9] settlement: ")
        .containsPattern("ok \\(\\d+\\.\\d s\\): 3 settlements signed with MuSig2")
        .containsPattern("demo finished in \\d+\\.\\d s: 9 steps passed");
  }

  @Test
  void badParticipantCountIsAUsageError() {
    StringWriter err = new StringWriter();
    int code =
        Main.run(new String[] {"swapsig", "demo", "--participants", "2"}, new PrintWriter(new StringWriter()),
            new PrintWriter(err, true));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--participants must be 3..20");
  }
}
