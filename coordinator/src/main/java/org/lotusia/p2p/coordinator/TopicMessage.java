package org.lotusia.p2p.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.p2p.coordinator.internal.Json;

/**
 * A message received on a GossipSub topic. lotus-sdk publishes {@code JSON.stringify(value)} as the
 * data; {@link #json()} parses it.
 *
 * @param topic the topic
 * @param data the payload bytes (owned by the receiver; each handler gets its own copy)
 * @param from the author, who signed it (lotus-sdk uses StrictSign), when known
 * @param receivedFrom the peer that forwarded it to this node
 */
public record TopicMessage(String topic, byte[] data, Optional<String> from, String receivedFrom) {

  /** Checks for nulls. */
  public TopicMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(receivedFrom, "receivedFrom");
  }

  /**
   * The data as JSON.
   *
   * @return the parsed value
   * @throws IllegalArgumentException when the data is not one JSON value
   */
  public JsonNode json() {
    return Json.parse(data, "topic message on " + topic);
  }

  /**
   * The data as UTF-8 text.
   *
   * @return the text
   */
  public String text() {
    return new String(data, java.nio.charset.StandardCharsets.UTF_8);
  }
}
