package org.lotusia.libp2p.internal.host;

import java.util.List;
import java.util.Objects;

/** Validation of protocol IDs given by callers. */
final class ProtocolIds {

  private ProtocolIds() {}

  /**
   * Checks one protocol ID.
   *
   * @throws IllegalArgumentException when it is blank, contains a newline or is too long
   */
  static void check(String protocol) {
    if (protocol == null || protocol.isBlank() || protocol.indexOf('\n') >= 0
        || protocol.length() > 1000) {
      throw new IllegalArgumentException(
          "protocol ID must be non-blank, without newline and at most 1000 characters: " + protocol);
    }
  }

  /**
   * Checks a non-empty list of protocol IDs.
   *
   * @throws IllegalArgumentException when the list is empty or an ID is invalid
   */
  static void checkAll(List<String> protocols) {
    Objects.requireNonNull(protocols, "protocols");
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("at least one protocol is needed");
    }
    protocols.forEach(ProtocolIds::check);
  }
}
