package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The JSON writer against JSON.stringify output recorded from Node.js. */
class JsJsonWriterTest {

  static JsonNode resource(String name) throws Exception {
    try (InputStream in = JsJsonWriterTest.class.getResourceAsStream("/vectors/" + name)) {
      return MessageJson.MAPPER.readTree(in);
    }
  }

  @Test
  void numbersPrintAsJavaScriptPrintsThem() throws Exception {
    JsonNode vectors = resource("js-numbers.json");
    assertThat(vectors.size()).isGreaterThan(4000);
    for (JsonNode v : vectors) {
      double d = Double.longBitsToDouble(Long.parseUnsignedLong(v.get(0).asText(), 16));
      assertThat(JsNumbers.toJsString(d))
          .as("bits %s", v.get(0).asText())
          .isEqualTo(v.get(1).asText());
    }
  }

  @Test
  void stringifyOfParsedTextMatchesNode() throws Exception {
    for (JsonNode pair : resource("js-stringify.json")) {
      JsonNode parsed = MessageJson.MAPPER.readTree(pair.get(0).asText());
      assertThat(JsJsonWriter.write(parsed))
          .as(pair.get(0).asText())
          .isEqualTo(pair.get(1).asText());
    }
  }

  @Test
  void randomValuesFromNodeStringifyIdentically() throws Exception {
    JsonNode pairs = resource("js-random-values.json");
    assertThat(pairs.size()).isEqualTo(1000);
    for (JsonNode pair : pairs) {
      JsonNode parsed = MessageJson.MAPPER.readTree(pair.get(0).asText());
      assertThat(JsJsonWriter.write(parsed))
          .as(pair.get(0).asText())
          .isEqualTo(pair.get(1).asText());
    }
  }

  @Test
  void parserAcceptsExactlyWhatJsonParseAccepts() throws Exception {
    JsonNode cases = resource("js-parse-differential.json");
    assertThat(cases.size()).isEqualTo(3000);
    int accepted = 0;
    for (JsonNode c : cases) {
      String text = c.get(0).asText();
      JsonNode parsed;
      try {
        parsed = MessageJson.MAPPER.readTree(text);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        parsed = null;
      }
      if (c.get(1).isNull()) {
        assertThat(parsed == null || parsed.isMissingNode())
            .as("JSON.parse rejects %s", text)
            .isTrue();
      } else {
        assertThat(parsed).as("JSON.parse accepts %s", text).isNotNull();
        assertThat(JsJsonWriter.write(parsed)).as(text).isEqualTo(c.get(1).asText());
        accepted++;
      }
    }
    assertThat(accepted).isGreaterThan(400);
  }

  @Test
  void escapesExactlyLikeJsonStringify() {
    StringBuilder out = new StringBuilder();
    JsJsonWriter.writeString(
        "a\u2028b\u2029c\u00e9\u0001\u001f\u007f\b\f\n\r\t\"\\/\ud83d\ude00\ud800", out);
    assertThat(out)
        .hasToString(
            "\"a\u2028b\u2029c\u00e9\\u0001\\u001f\u007f\\b\\f\\n"
                + "\\r"
                + "\\t\\\"\\\\/\ud83d\ude00\\ud800\"");
  }

  @Test
  void arrayIndexKeysComeFirstInNumericOrder() {
    var o = JsonNodeFactory.instance.objectNode();
    o.put("z", 1).put("10", 2).put("2", 3).put("02", 4).put("4294967295", 5).put("4294967294", 6);
    assertThat(JsJsonWriter.write(o))
        .isEqualTo("{\"2\":3,\"10\":2,\"4294967294\":6,\"z\":1,\"02\":4,\"4294967295\":5}");
  }

  @Test
  void nonFiniteNumbersBecomeNullAndRejectedByFormatter() {
    var a =
        JsonNodeFactory.instance
            .arrayNode()
            .add(Double.NaN)
            .add(Double.POSITIVE_INFINITY)
            .add(-0.0);
    assertThat(JsJsonWriter.write(a)).isEqualTo("[null,null,0]");
    assertThatThrownBy(() -> JsNumbers.toJsString(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finite");
  }

  @Test
  void binaryNodesHaveNoJsonForm() {
    assertThatThrownBy(
            () -> JsJsonWriter.write(JsonNodeFactory.instance.binaryNode(new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BINARY");
  }
}
