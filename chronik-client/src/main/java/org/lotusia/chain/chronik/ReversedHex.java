package org.lotusia.chain.chronik;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Byte-order conversion between Chronik's wire form of txids and block hashes and the usual display
 * form.
 *
 * <p>Chronik sends txids and block hashes as raw 32-byte little-endian values (the internal byte
 * order of the node). Block explorers, wallets and this SDK's public API show them as big-endian
 * hex, that is the wire bytes reversed. This class converts between the two; it is stateless and
 * thread-safe.
 */
public final class ReversedHex {

  /** Length in bytes of a txid or block hash. */
  public static final int HASH_LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private ReversedHex() {}

  /**
   * Converts wire (little-endian) bytes to display (big-endian) lowercase hex.
   *
   * @param littleEndian the bytes as sent by Chronik
   * @return the reversed bytes as lowercase hex
   */
  public static String toDisplayHex(byte[] littleEndian) {
    byte[] copy = littleEndian.clone();
    reverse(copy);
    return HEX.formatHex(copy);
  }

  /**
   * Converts a display (big-endian) hex txid or block hash into wire (little-endian) bytes.
   *
   * @param displayHex 64 hex characters, either case
   * @return 32 bytes in Chronik's wire order
   * @throws IllegalArgumentException if the input is not 64 hex characters
   */
  public static byte[] toWireBytes(String displayHex) {
    byte[] bytes = HEX.parseHex(requireHash(displayHex));
    reverse(bytes);
    return bytes;
  }

  /**
   * Checks that a string is a 32-byte hash in hex and returns it in lowercase.
   *
   * @param hex the candidate txid or block hash
   * @return the lowercase form
   * @throws IllegalArgumentException if it is null, not 64 characters long, or not hex
   */
  public static String requireHash(String hex) {
    if (hex == null || hex.length() != 2 * HASH_LENGTH) {
      throw new IllegalArgumentException(
          "expected a 32-byte txid/hash as 64 hex characters, got: " + hex);
    }
    for (int i = 0; i < hex.length(); i++) {
      if (Character.digit(hex.charAt(i), 16) < 0) {
        throw new IllegalArgumentException("txid/hash contains a non-hex character: " + hex);
      }
    }
    return hex.toLowerCase(Locale.ROOT);
  }

  private static void reverse(byte[] b) {
    for (int i = 0, j = b.length - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
  }
}
