package org.lotusia.musig2.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Loads the JSON test vectors stored as test resources. */
final class Vectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final HexFormat HEX = HexFormat.of();

  private Vectors() {}

  static JsonNode load(String resource) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] hex(JsonNode n) {
    return HEX.parseHex(n.asText());
  }

  static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  static List<byte[]> hexList(JsonNode arr) {
    List<byte[]> out = new ArrayList<>();
    arr.forEach(n -> out.add(hex(n)));
    return out;
  }

  static List<Integer> ints(JsonNode arr) {
    List<Integer> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asInt()));
    return out;
  }

  static <T> List<T> pick(List<T> all, List<Integer> indices) {
    List<T> out = new ArrayList<>();
    for (int i : indices) {
      out.add(all.get(i));
    }
    return out;
  }
}
