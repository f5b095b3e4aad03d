package org.lotusia.libp2p.multiformats;

import java.util.Arrays;

/**
 * Base58 with the Bitcoin alphabet ({@code base58btc}), as used by peer IDs and CIDv0. Leading zero bytes map
 * to leading {@code '1'} characters.
 *
 * <p>Stateless and thread-safe. Encoding and decoding are quadratic in the input length, which is fine for the
 * short identifiers this is used for; callers bound the input length.
 */
public final class Base58 {

    private static final char[] ALPHABET =
            "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] INDEXES = new int[128];

    static {
        Arrays.fill(INDEXES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            INDEXES[ALPHABET[i]] = i;
        }
    }

    private Base58() {
    }

    /**
     * Encodes bytes as base58btc.
     *
     * @param input bytes to encode, not modified
     * @return the text, empty for empty input
     */
    public static String encode(byte[] input) {
        if (input.length == 0) {
            return "";
        }
        int zeros = 0;
        while (zeros < input.length && input[zeros] == 0) {
            zeros++;
        }
        // log(256)/log(58) < 1.37: upper bound of output digits.
        int size = (input.length - zeros) * 138 / 100 + 1;
        byte[] digits = new byte[size];
        int length = 0;
        for (int i = zeros; i < input.length; i++) {
            int carry = input[i] & 0xFF;
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
                carry += 256 * (digits[k] & 0xFF);
                digits[k] = (byte) (carry % 58);
                carry /= 58;
            }
            length = j;
        }
        int start = size - length;
        while (start < size && digits[start] == 0) {
            start++;
        }
        StringBuilder sb = new StringBuilder(zeros + size - start);
        for (int i = 0; i < zeros; i++) {
            sb.append('1');
        }
        for (int i = start; i < size; i++) {
            sb.append(ALPHABET[digits[i]]);
        }
        return sb.toString();
    }

    /**
     * Decodes base58btc text.
     *
     * @param input the text
     * @return the decoded bytes, empty for empty input
     * @throws IllegalArgumentException naming the first character outside the alphabet
     */
    public static byte[] decode(String input) {
        if (input.isEmpty()) {
            return new byte[0];
        }
        int zeros = 0;
        while (zeros < input.length() && input.charAt(zeros) == '1') {
            zeros++;
        }
        // log(58)/log(256) < 0.733: upper bound of output bytes.
        int size = (input.length() - zeros) * 733 / 1000 + 1;
        byte[] bytes = new byte[size];
        int length = 0;
        for (int i = zeros; i < input.length(); i++) {
            char c = input.charAt(i);
            int digit = c < 128 ? INDEXES[c] : -1;
            if (digit < 0) {
                throw new IllegalArgumentException("invalid base58 character '" + c + "' at index " + i);
            }
            int carry = digit;
            int j = 0;
            for (int k = size - 1; (carry != 0 || j < length) && k >= 0; k--, j++) {
                carry += 58 * (bytes[k] & 0xFF);
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
