package org.lotusia.chain.tx;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Lotus amounts: 1 XPI = 1,000,000 satoshis (six decimals). Formatting and parsing of XPI strings.
 *
 * @param sats the amount in satoshis (may be negative for differences)
 */
public record Amount(long sats) implements Comparable<Amount> {

  /** Satoshis per XPI. */
  public static final long SATS_PER_XPI = 1_000_000L;

  /** Decimal places of XPI. */
  public static final int DECIMALS = 6;

  /** lotus-sdk's MAX_MONEY: 2,100,000,000,000,000 satoshis. */
  public static final long MAX_MONEY = 2_100_000_000_000_000L;

  /** Outputs below this value (except data outputs) are dust (lotus-sdk DUST_AMOUNT). */
  public static final long DUST = 546L;

  /** An amount of whole satoshis. */
  public static Amount ofSats(long sats) {
    return new Amount(sats);
  }

  /**
   * Parses an XPI decimal string such as {@code "1.5"} or {@code "0.000001"} (at most six decimals,
   * optional " XPI" suffix).
   *
   * @throws IllegalArgumentException for more than six decimals, a malformed number or overflow
   */
  public static Amount parseXpi(String xpi) {
    String s = xpi.trim();
    if (s.endsWith("XPI")) {
      s = s.substring(0, s.length() - 3).trim();
    }
    BigDecimal d;
    try {
      d = new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a decimal XPI amount: '" + xpi + "'");
    }
    if (d.stripTrailingZeros().scale() > DECIMALS) {
      throw new IllegalArgumentException(
          "XPI has at most " + DECIMALS + " decimals: '" + xpi + "'");
    }
    try {
      return new Amount(d.movePointRight(DECIMALS).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("XPI amount out of range: '" + xpi + "'");
    }
  }

  /** The amount in XPI as an exact decimal. */
  public BigDecimal toXpi() {
    return BigDecimal.valueOf(sats)
        .movePointLeft(DECIMALS)
        .setScale(DECIMALS, RoundingMode.UNNECESSARY);
  }

  /** Formats as {@code "1.000000 XPI"} (six decimals, like lotus-sdk's formatXPI). */
  public String format() {
    return toXpi().toPlainString() + " XPI";
  }

  /** Sum. @throws ArithmeticException on overflow */
  public Amount plus(Amount other) {
    return new Amount(Math.addExact(sats, other.sats));
  }

  /** Difference. @throws ArithmeticException on overflow */
  public Amount minus(Amount other) {
    return new Amount(Math.subtractExact(sats, other.sats));
  }

  @Override
  public int compareTo(Amount o) {
    return Long.compare(sats, o.sats);
  }

  @Override
  public String toString() {
    return format();
  }
}
