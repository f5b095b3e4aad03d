package org.lotusia.node.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the demo reports a step's values: the shown ones on lines of their own, all of them in JSON. */
class DemoReportTest {

  private static DemoStep fixed(StepResult r) {
    return new DemoStep() {
      @Override
      public String name() {
        return "values";
      }

      @Override
      public String description() {
        return "report some values";
      }

      @Override
      public StepResult run(DemoNetwork network, Progress progress) {
        return r;
      }
    };
  }

  private static String run(StepResult r, boolean json) {
    StringWriter out = new StringWriter();
    PrintWriter w = new PrintWriter(out);
    Demo.Outcome o = new Demo(List.of(fixed(r)), w, w, json, Duration.ofSeconds(5)).run();
    assertThat(o.ok()).isTrue();
    return out.toString();
  }

  @Test
  void readableOutputPrintsTheShownValuesInOrderAndJsonHasThemAll() {
    StepResult r = StepResult.passed("checked", Map.of("key", "02ab", "signature", "cd", "count", 3),
        List.of("signature", "key"));
    String readable = run(r, false);
    assertThat(readable).containsSubsequence("ok (", "): checked\n", "        signature: cd\n",
        "        key: 02ab\n", "demo finished in");
    assertThat(readable).doesNotContain("count:");
    String json = run(r, true);
    assertThat(json).contains("\"signature\":\"cd\"").contains("\"key\":\"02ab\"").contains("\"count\":3");
  }

  @Test
  void aShownNameMustBeADetail() {
    assertThatThrownBy(() -> StepResult.passed("checked", Map.of("key", "02"), List.of("signature")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shown detail signature is not among the details [key]");
  }
}
