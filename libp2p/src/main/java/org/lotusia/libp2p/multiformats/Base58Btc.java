package org.lotusia.libp2p.multiformats;

/**
 * Base58 with the Bitcoin alphabet ({@code base58btc}), as used by peer IDs and CIDv0. Leading zero
 * bytes map to leading {@code '1'} characters.
 *
 * <p>Stateless and thread-safe. Encoding and decoding are quadratic in the input length, which is
 * fine for the short identifiers this is used for; callers bound the input length.
 */
public final class Base58Btc {

  // log(256)/log(58) < 1.366 and log(58)/log(256) < 0.733.
  private static final BaseN CODEC =
      new BaseN("base58", "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 1366, 733);

  private Base58Btc() {}

  /**
   * Encodes bytes as base58btc.
   *
   * @param input bytes to encode, not modified
   * @return the text, empty for empty input
   */
  public static String encode(byte[] input) {
    return CODEC.encode(input);
  }

  /**
   * Decodes base58btc text.
   *
   * @param input the text
   * @return the decoded bytes, empty for empty input
   * @throws IllegalArgumentException naming the first character outside the alphabet
   */
  public static byte[] decode(String input) {
    return CODEC.decode(input);
  }
}
