package org.lotusia.libp2p.multiformats;

import java.util.Arrays;

/**
 * Big-number radix conversion for alphabets where the first character stands for a leading zero
 * byte (base58btc, base36). Quadratic in the input length; callers bound the length.
 */
final class BaseN {

  private final String name;
  private final char[] alphabet;
  private final int[] indexes = new int[128];
  private final int base;

  /** Output digits per input byte and bytes per digit, scaled by 1000 (upper bounds). */
  private final int digitsPerByte1000;

  private final int bytesPerDigit1000;

  BaseN(String name, String alphabet, int digitsPerByte1000, int bytesPerDigit1000) {
    this.name = name;
    this.alphabet = alphabet.toCharArray();
    this.base = alphabet.length();
    this.digitsPerByte1000 = digitsPerByte1000;
    this.bytesPerDigit1000 = bytesPerDigit1000;
    Arrays.fill(indexes, -1);
    for (int i = 0; i < this.alphabet.length; i++) {
      indexes[this.alphabet[i]] = i;
    }
  }

  String encode(byte[] input) {
    if (input.length == 0) {
      return "";
    }
    int zeros = 0;
    while (zeros < input.length && input[zeros] == 0) {
      zeros++;
    }
    int size = (input.length - zeros) * digitsPerByte1000 / 1000 + 1;
    byte[] digits = new byte[size];
    int length = 0;
    for (int i = zeros; i < input.length; i++) {
      int carry = input[i] & 0xFF;
      int j = 0;
      for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
        carry += 256 * (digits[k] & 0xFF);
        digits[k] = (byte) (carry % base);
        carry /= base;
      }
      length = j;
    }
    int start = size - length;
    while (start < size && digits[start] == 0) {
      start++;
    }
    StringBuilder sb = new StringBuilder(zeros + size - start);
    for (int i = 0; i < zeros; i++) {
      sb.append(alphabet[0]);
    }
    for (int i = start; i < size; i++) {
      sb.append(alphabet[digits[i]]);
    }
    return sb.toString();
  }

  byte[] decode(String input) {
    if (input.isEmpty()) {
      return new byte[0];
    }
    int zeros = 0;
    while (zeros < input.length() && input.charAt(zeros) == alphabet[0]) {
      zeros++;
    }
    int size = (input.length() - zeros) * bytesPerDigit1000 / 1000 + 1;
    byte[] bytes = new byte[size];
    int length = 0;
    for (int i = zeros; i < input.length(); i++) {
      char c = input.charAt(i);
      int digit = c < 128 ? indexes[c] : -1;
      if (digit < 0) {
        throw new IllegalArgumentException(
            "invalid " + name + " character '" + c + "' at index " + i);
      }
      int carry = digit;
      int j = 0;
      for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
        carry += base * (bytes[k] & 0xFF);
        bytes[k] = (byte) carry;
        carry >>>= 8;
      }
      length = j;
    }
    int start = size - length;
    while (start < size && bytes[start] == 0) {
      start++;
    }
    byte[] out = new byte[zeros + size - start];
    System.arraycopy(bytes, start, out, zeros, size - start);
    return out;
  }
}
