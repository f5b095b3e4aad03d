package org.lotusia.p2p.coordinator;

import org.lotusia.p2p.protocol.MessageTypes;

/** The libp2p protocol IDs the coordinator serves, and the check of a user-given one. */
public final class ProtocolIds {

  /** lotus-sdk's direct-message protocol: one JSON {@code P2PMessage} per stream. */
  public static final String MESSAGE = MessageTypes.MESSAGE_PROTOCOL_ID;

  /**
   * This SDK's message channel: the same {@code P2PMessage}s as {@link #MESSAGE}, many on one
   * long-lived stream, each with an unsigned-varint length in front (see docs/ARCHITECTURE.md,
   * "Message channels"). Used only towards peers that announce it.
   */
  public static final String MESSAGE_CHANNEL = "/lotus/message-channel/1.0.0";

  /** lotus-sdk's DHT protocol. */
  public static final String KAD = "/lotus/kad/1.0.0";

  /** This SDK's listing of a provider's resources of one type (see docs/ARCHITECTURE.md). */
  public static final String RESOURCES = "/lotus/resources/1.0.0";

  private ProtocolIds() {}

  /**
   * Checks a libp2p protocol ID given by a caller.
   *
   * @param id the ID
   * @throws IllegalArgumentException unless it starts with {@code /}, has no whitespace or
   *     newline and at most 200 characters
   */
  public static void check(String id) {
    if (id == null || id.isEmpty() || id.charAt(0) != '/' || id.length() > 200) {
      throw new IllegalArgumentException(
          "protocol ID must start with '/' and have 1 to 200 characters, got " + quote(id));
    }
    for (int i = 0; i < id.length(); i++) {
      if (Character.isWhitespace(id.charAt(i)) || Character.isISOControl(id.charAt(i))) {
        throw new IllegalArgumentException(
            "protocol ID must not contain whitespace or control characters, got " + quote(id));
      }
    }
  }

  private static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
