package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
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
    List<JsonNode> lines = new ArrayList<>();
    for (String l : out.toString().split("\n")) {
      lines.add(m.readTree(l));
    }
    List<JsonNode> txs = lines.stream().filter(l -> "tx".equals(l.get("event").asText())).toList();
    assertThat(txs.stream().filter(t -> t.get("kind").asText().equals("setup"))).hasSize(3);
    assertThat(txs.stream().filter(t -> t.get("kind").asText().equals("settlement"))).hasSize(3);
    for (JsonNode t : txs) {
      assertThat(Transaction.fromHex(t.get("hex").asText()).txid()).isEqualTo(t.get("txid").asText());
    }
    for (int i = 0; i < 3; i++) {
      String node = "participant-" + i;
      assertThat(lines.stream().filter(l -> node.equals(l.get("node").asText())
              && "phase".equals(l.get("event").asText())).map(l -> l.get("value").asText()))
          .containsSubsequence("registration", "setup", "setup-confirm", "reveal", "settlement",
              "settlement-confirm", "complete");
    }
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
