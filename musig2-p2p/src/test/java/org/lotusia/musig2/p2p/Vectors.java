package org.lotusia.musig2.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Loads the P2P vectors produced by lotus-sdk (reference section 3, p2p_vectors.json). */
final class Vectors {
  static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Vectors() {}

  static JsonNode p2p() {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/musig2-p2p-vectors.json")) {
      if (in == null) {
        throw new IllegalStateException("missing test resource musig2-p2p-vectors.json");
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<byte[]> hexList(JsonNode arr) {
    List<byte[]> out = new ArrayList<>();
    arr.forEach(n -> out.add(HEX.parseHex(n.asText())));
    return out;
  }

  static List<Integer> ints(JsonNode arr) {
    List<Integer> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asInt()));
    return out;
  }
}
