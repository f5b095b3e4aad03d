package org.lotusia.p2p.coordinator.discovery;

/** Checks of names shared by the codec, the criteria and the advertiser. Stateless. */
final class Checks {

  /** Longest protocol name: the topic {@code lotus/discovery/<protocol>} stays within 256. */
  static final int MAX_PROTOCOL_LENGTH = 100;

  private Checks() {}

  /**
   * Checks a protocol name: 1 to 100 letters, digits, {@code -}, {@code _}, {@code .} or {@code
   * :}, so that the topic name is plain ASCII.
   */
  static String protocol(String p, String what) {
    if (p == null || p.isEmpty() || p.length() > MAX_PROTOCOL_LENGTH) {
      throw new IllegalArgumentException(
          what
              + " must have 1 to "
              + MAX_PROTOCOL_LENGTH
              + " characters, got "
              + (p == null ? "null" : p.length()));
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || c == '-'
              || c == '_'
              || c == '.'
              || c == ':';
      if (!ok) {
        throw new IllegalArgumentException(
            what + " may hold letters, digits and - _ . : only, got '" + p + "'");
      }
    }
    return p;
  }

  /** Checks a text of 1 to {@code max} characters without control characters. */
  static String text(String s, int max, String what) {
    if (s == null || s.isEmpty() || s.length() > max) {
      throw new IllegalArgumentException(
          what + " must have 1 to " + max + " characters, got " + (s == null ? "null" : s.length()));
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw new IllegalArgumentException(what + " must not contain control characters");
      }
    }
    return s;
  }
}
