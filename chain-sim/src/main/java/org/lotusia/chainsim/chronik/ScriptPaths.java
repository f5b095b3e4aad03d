package org.lotusia.chainsim.chronik;

import java.util.HexFormat;
import java.util.Locale;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;

/**
 * Chronik's {@code /script/{type}/{payload}} and WebSocket subscription addressing: the output
 * script a script type and payload name. Stateless.
 */
final class ScriptPaths {

  private ScriptPaths() {}

  /**
   * The output script for a Chronik script type and payload.
   *
   * @throws ChronikError 400 {@code invalid-script-type} or {@code invalid-script-payload}
   */
  static Script script(String type, byte[] payload) {
    return switch (type) {
      case "p2pkh" -> Scripts.p2pkh(requireLength(type, payload, 20));
      case "p2sh" -> Scripts.p2sh(requireLength(type, payload, 20));
      case "p2pk" -> {
        if (payload.length != 33 && payload.length != 65) {
          throw invalidPayload(type, payload.length, "33 or 65");
        }
        yield Scripts.p2pk(payload);
      }
      case "p2tr-commitment" -> Scripts.p2tr(requireLength(type, payload, 33));
      case "other" -> {
        if (payload.length > 10_000) {
          throw invalidPayload(type, payload.length, "at most 10000");
        }
        yield Script.of(payload);
      }
      default ->
          throw ChronikError.badRequest(
              "invalid-script-type",
              "Invalid script type: "
                  + type
                  + " (accepted: p2pkh, p2sh, p2pk, p2tr-commitment, other)");
    };
  }

  /** Parses the hex payload of a path. @throws ChronikError 400 for bad hex */
  static byte[] hex(String what, String hex) {
    if (hex.length() > 20_000) {
      throw ChronikError.badRequest("invalid-hex", what + " is too long");
    }
    try {
      return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ChronikError.badRequest("invalid-hex", "Invalid hex for " + what + ": " + e.getMessage());
    }
  }

  /**
   * Checks a 32-byte hash in displayed (big-endian) hex and returns it lower-cased.
   *
   * @throws ChronikError 400 {@code invalid-hash}
   */
  static String hash(String what, String hex) {
    if (hex.length() != 64 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw ChronikError.badRequest(
          "invalid-hash", "Invalid " + what + ": expected 64 hex characters, got '" + clip(hex) + "'");
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  private static byte[] requireLength(String type, byte[] payload, int n) {
    if (payload.length != n) {
      throw invalidPayload(type, payload.length, Integer.toString(n));
    }
    return payload;
  }

  private static ChronikError invalidPayload(String type, int got, String expected) {
    return ChronikError.badRequest(
        "invalid-script-payload",
        "Invalid payload for " + type + ": " + got + " bytes, expected " + expected);
  }

  static String clip(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }
}
