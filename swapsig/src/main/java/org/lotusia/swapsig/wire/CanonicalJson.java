package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The canonical bytes of a JSON value that SwapSig signatures cover: object members sorted by name
 * (UTF-16 order, as JavaScript sorts), no whitespace, integers in decimal, strings with JSON's
 * escapes; optionally without one top-level member (the signature itself). Both sides compute the
 * bytes from the parsed tree, so member order and whitespace on the wire do not matter. Stateless.
 */
public final class CanonicalJson {

  /** Shared mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private CanonicalJson() {}

  /**
   * @param value a JSON tree
   * @param omitTopLevel a top-level member left out, or null
   * @return the UTF-8 canonical bytes
   */
  public static byte[] bytes(JsonNode value, String omitTopLevel) {
    JsonNode sorted = sort(value, omitTopLevel);
    try {
      return MAPPER.writeValueAsBytes(sorted);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
  }

  private static JsonNode sort(JsonNode v, String omit) {
    if (v.isObject()) {
      List<String> names = new ArrayList<>();
      v.fieldNames().forEachRemaining(names::add);
      Collections.sort(names);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        if (!name.equals(omit)) {
          out.set(name, sort(v.get(name), null));
        }
      }
      return out;
    }
    if (v.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      v.forEach(e -> out.add(sort(e, null)));
      return out;
    }
    return v;
  }
}
