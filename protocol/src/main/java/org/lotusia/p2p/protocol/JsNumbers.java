package org.lotusia.p2p.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats IEEE-754 doubles exactly as JavaScript's {@code Number.prototype.toString()} (ECMA-262
 * Number::toString with radix 10), which is what {@code JSON.stringify} writes for finite numbers.
 *
 * <p>The digits are the shortest decimal that reads back to the same double; among equally short
 * candidates the one closest to the exact value is chosen. The layout follows the specification:
 * plain integers up to 21 digits, a decimal point for exponents down to -6, otherwise {@code
 * d.ddde+N} / {@code de-N}. Non-finite values have no JSON form and are written as {@code null} by
 * {@link JsJsonWriter}.
 *
 * <p>Stateless and thread-safe. Does not depend on the JDK's {@code Double.toString}, whose digit
 * choice changed in JDK 19.
 */
public final class JsNumbers {

  /** Largest integer that JavaScript represents exactly (2^53 - 1). */
  public static final long MAX_SAFE_INTEGER = 9_007_199_254_740_991L;

  private JsNumbers() {}

  /**
   * Returns the JavaScript string form of a finite double.
   *
   * @param value a finite double
   * @return the text JavaScript prints for {@code value} ({@code -0} prints as {@code 0})
   * @throws IllegalArgumentException if {@code value} is NaN or infinite
   */
  public static String toJsString(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "JavaScript number text exists only for finite values, got " + value);
    }
    if (value == 0) {
      return "0";
    }
    if (value == Math.rint(value) && Math.abs(value) <= MAX_SAFE_INTEGER) {
      return Long.toString((long) value);
    }
    boolean negative = value < 0;
    BigDecimal shortest = shortestRoundTrip(Math.abs(value));
    String digits = shortest.unscaledValue().toString();
    // Strip trailing zeros of the digit string; the exponent absorbs them.
    int k = digits.length();
    while (k > 1 && digits.charAt(k - 1) == '0') {
      k--;
    }
    // value = 0.d1d2...dk * 10^n  <=>  unscaled * 10^-scale, with n the position of the decimal
    // point.
    int n = digits.length() - shortest.scale();
    digits = digits.substring(0, k);
    StringBuilder out = new StringBuilder(24);
    if (negative) {
      out.append('-');
    }
    layout(out, digits, k, n);
    return out.toString();
  }

  /**
   * Writes digits (k of them, no trailing zeros) with decimal exponent n per ECMA-262
   * Number::toString.
   */
  private static void layout(StringBuilder out, String digits, int k, int n) {
    if (k <= n && n <= 21) {
      out.append(digits);
      for (int i = 0; i < n - k; i++) {
        out.append('0');
      }
    } else if (0 < n && n <= 21) {
      out.append(digits, 0, n).append('.').append(digits, n, k);
    } else if (-6 < n && n <= 0) {
      out.append("0.");
      for (int i = 0; i < -n; i++) {
        out.append('0');
      }
      out.append(digits);
    } else {
      int e = n - 1;
      out.append(digits.charAt(0));
      if (k > 1) {
        out.append('.').append(digits, 1, k);
      }
      out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
    }
  }

  /**
   * The shortest decimal that parses back to {@code value} (positive, finite); among candidates of
   * equal length the one nearest the exact binary value.
   */
  private static BigDecimal shortestRoundTrip(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == value) {
        return nearest;
      }
      // Near a power of two the rounding interval is asymmetric: the nearest decimal may fall
      // outside
      // while a farther one on the other side still reads back to the value.
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      boolean upOk = up.doubleValue() == value;
      boolean downOk = down.doubleValue() == value;
      if (upOk && downOk) {
        return up.subtract(exact).abs().compareTo(exact.subtract(down).abs()) <= 0 ? up : down;
      }
      if (upOk) {
        return up;
      }
      if (downOk) {
        return down;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }
}
