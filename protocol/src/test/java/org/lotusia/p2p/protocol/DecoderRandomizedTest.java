package org.lotusia.p2p.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-based test with a fixed budget: mutations of valid messages (byte flips, JSON-structural
 * insertions, deletions, splices, deep nesting, long numbers) through the JSON and stream decoders.
 * Deterministic seed, so a failure reproduces.
 */
class DecoderRandomizedTest {

  static final int ITERATIONS = 30_000;
  static final byte[][] TOKENS =
      tokens(
          "{",
          "}",
          "[",
          "]",
          "\"",
          ":",
          ",",
          "\\u",
          "\\ud800",
          "1e400",
          "-0",
          "null",
          "true",
          "9007199254740993",
          "\"type\"",
          "\"signature\":{\"type\":\"Buffer\",\"data\":[1,",
          "\u2028",
          "\uFEFF",
          "\"timestamp\":",
          "1.5",
          "\"payload\":",
          "\\",
          "\u00e9");

  static byte[][] tokens(String... s) {
    return Arrays.stream(s).map(t -> t.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
  }

  @Test
  void mutatedMessagesNeverBreakTheDecoders() throws Exception {
    List<byte[]> seeds = new ArrayList<>();
    for (JsonNode g : JsJsonWriterTest.resource("golden-messages.json")) {
      seeds.add(g.get("json").asText().getBytes(StandardCharsets.UTF_8));
    }
    P2PProtocol protocol = DecoderFuzzTest.PROTOCOL;
    Random rnd = new Random(0x10705L);
    int decoded = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] input = mutate(seeds.get(rnd.nextInt(seeds.size())), rnd);
      try {
        protocol.deserialize(input);
        decoded++;
      } catch (MessageFormatException expected) {
        // counted below via the property check
      }
      DecoderProperties.checkDeserialize(protocol, input);
      MessageStreamDecoder d = new MessageStreamDecoder(protocol, 1 + rnd.nextInt(2048));
      int pos = 0;
      DecodeResult r = null;
      while (pos < input.length && r == null) {
        int n = Math.min(input.length - pos, 1 + rnd.nextInt(64));
        r = d.onData(input, pos, n);
        pos += n;
      }
      assertThat(d.onEndOfStream()).isNotNull();
    }
    // The mutations must keep a fair share of inputs decodable, otherwise the test explores
    // nothing.
    assertThat(decoded).isGreaterThan(ITERATIONS / 20);
  }

  static byte[] mutate(byte[] seed, Random rnd) {
    byte[] b = seed.clone();
    int rounds = 1 + rnd.nextInt(4);
    for (int r = 0; r < rounds; r++) {
      switch (rnd.nextInt(7)) {
        case 0 -> {
          if (b.length > 0) {
            b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
          }
        }
        case 1 -> b = insert(b, rnd.nextInt(b.length + 1), TOKENS[rnd.nextInt(TOKENS.length)]);
        case 2 -> {
          if (b.length > 1) {
            int from = rnd.nextInt(b.length);
            int to = Math.min(b.length, from + 1 + rnd.nextInt(8));
            byte[] c = new byte[b.length - (to - from)];
            System.arraycopy(b, 0, c, 0, from);
            System.arraycopy(b, to, c, from, b.length - to);
            b = c;
          }
        }
        case 3 -> {
          int from = rnd.nextInt(b.length + 1);
          int len = Math.min(b.length - from, rnd.nextInt(16));
          b = insert(b, rnd.nextInt(b.length + 1), Arrays.copyOfRange(b, from, from + len));
        }
        case 4 -> {
          int depth = rnd.nextInt(400);
          String nest = "[".repeat(depth) + "]".repeat(depth);
          b = insert(b, rnd.nextInt(b.length + 1), nest.getBytes(StandardCharsets.US_ASCII));
        }
        case 5 ->
            b =
                insert(
                    b,
                    rnd.nextInt(b.length + 1),
                    "1".repeat(rnd.nextInt(600)).getBytes(StandardCharsets.US_ASCII));
        default -> {
          // Replace a value after a colon with a random token, keeping the structure mostly valid.
          String s = new String(b, StandardCharsets.UTF_8);
          int colon = s.indexOf(':', rnd.nextInt(Math.max(1, s.length())));
          if (colon >= 0) {
            b = insert(b, colon + 1, TOKENS[rnd.nextInt(TOKENS.length)]);
          }
        }
      }
    }
    return b;
  }

  static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] c = new byte[b.length + what.length];
    System.arraycopy(b, 0, c, 0, at);
    System.arraycopy(what, 0, c, at, what.length);
    System.arraycopy(b, at, c, at + what.length, b.length - at);
    return c;
  }
}
