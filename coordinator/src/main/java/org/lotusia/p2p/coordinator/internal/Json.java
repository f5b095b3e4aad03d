package org.lotusia.p2p.coordinator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.lotusia.p2p.protocol.JsJsonWriter;
import org.lotusia.p2p.protocol.MessageJson;

/**
 * JSON for the coordinator: one mapper with the same parser limits as lotus-sdk messages (nesting
 * depth, number length, no trailing data), JSON text as {@code JSON.stringify} writes it, and a
 * canonical form for signatures. Thread-safe.
 */
public final class Json {

  /** The shared mapper; configure nothing on it. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(MessageJson.MAX_NESTING_DEPTH)
                .maxNumberLength(MessageJson.MAX_NUMBER_LENGTH)
                .build());
  }

  private Json() {}

  /**
   * Parses one JSON text.
   *
   * @param bytes UTF-8 JSON
   * @param what what the bytes are, for the error message
   * @return the tree
   * @throws IllegalArgumentException naming {@code what} when the text is not one valid JSON value
   */
  public static JsonNode parse(byte[] bytes, String what) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new IllegalArgumentException(what + " is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " could not be read: " + e.getMessage(), e);
    }
  }

  /**
   * Converts any value to a tree as {@code JSON.stringify} would see it.
   *
   * @param value a Jackson-serializable value, a {@link JsonNode}, or {@code null}
   * @return the tree
   * @throws IllegalArgumentException when the value cannot be serialized
   */
  public static JsonNode toTree(Object value) {
    if (value instanceof JsonNode node) {
      return node;
    }
    try {
      return MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "value of " + value.getClass().getName() + " cannot be written as JSON: " + e.getMessage(),
          e);
    }
  }

  /**
   * Converts a tree to a Java type.
   *
   * @param node the tree
   * @param type the target type
   * @param <T> the type
   * @return the value
   * @throws IllegalArgumentException when the tree does not fit the type
   */
  public static <T> T fromTree(JsonNode node, Class<T> type) {
    if (type.isInstance(node)) {
      return type.cast(node);
    }
    try {
      return MAPPER.treeToValue(node, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "JSON does not fit " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  /**
   * The tree as a JavaScript peer holds it: {@code JSON.parse(JSON.stringify(node))}. Numbers take
   * the one form a JS number writes ({@code 2.0} and {@code 2} are the same number, a number too
   * large for a double is {@code null}), so that two copies of a value that a JS peer cannot tell
   * apart are equal trees here too; the JSON text written for the result is the one written for
   * {@code node}.
   *
   * @param node the tree, as parsed from remote bytes
   * @param what what the tree is, for the error message
   * @return the tree in its JS form
   * @throws IllegalArgumentException naming {@code what} when the JS form breaks a parser limit
   */
  public static JsonNode jsValue(JsonNode node, String what) {
    return parse(bytes(node), what);
  }

  /**
   * The UTF-8 bytes {@code JSON.stringify} writes for a tree.
   *
   * @param node the tree
   * @return the bytes
   */
  public static byte[] bytes(JsonNode node) {
    return JsJsonWriter.write(node).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The canonical text of a tree: object members sorted by name at every level, values written as
   * {@code JSON.stringify} writes them. Equal trees give equal texts, whatever their member order.
   *
   * @param node the tree
   * @return the canonical JSON text
   */
  public static String canonical(JsonNode node) {
    return JsJsonWriter.write(sorted(node));
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        names.add(it.next());
      }
      Collections.sort(names);
      ObjectNode out = MAPPER.createObjectNode();
      for (String n : names) {
        out.set(n, sorted(node.get(n)));
      }
      return out;
    }
    if (node.isArray()) {
      var out = MAPPER.createArrayNode();
      for (JsonNode e : node) {
        out.add(sorted(e));
      }
      return out;
    }
    return node;
  }
}
