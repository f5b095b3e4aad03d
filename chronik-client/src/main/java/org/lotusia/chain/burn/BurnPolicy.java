package org.lotusia.chain.burn;

import java.util.HexFormat;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The rules a burn output must meet to be accepted by {@link BurnVerifier}. Build with {@link
 * #builder()} or use a preset ({@link #lotusSdkDefault()}, {@link #ltmsIdentityRegistration()},
 * {@link #ltmsKeyRotation()}, {@link SwapSigBurn#policy}). Immutable and thread-safe if the format
 * check is.
 *
 * @param maturationPeriod confirmations needed to be matured; 0 means matured once mined
 * @param minConfirmations confirmations needed at all (1 = mined)
 * @param minAmount smallest accepted burn in satoshis
 * @param requiredPrefixHex required 4-byte LOKAD prefix as lowercase hex, or {@code null} for any
 * @param requiredVersion required LOKAD version byte, or -1 for any
 * @param formatCheck test of the whole output script (after the data-output check), for example
 *     "the payload starts with a valid public key"; failing it gives {@link
 *     BurnVerification.Reason#INVALID_PAYLOAD}
 */
public record BurnPolicy(
    int maturationPeriod,
    int minConfirmations,
    long minAmount,
    String requiredPrefixHex,
    int requiredVersion,
    Predicate<byte[]> formatCheck) {

  /** lotus-sdk's {@code BurnVerifier} default maturation period. */
  public static final int DEFAULT_MATURATION = 100;

  /**
   * Validates the rules.
   *
   * @throws IllegalArgumentException for negative counts, a prefix that is not 4 bytes, or a
   *     version outside -1..255
   */
  public BurnPolicy {
    if (maturationPeriod < 0 || minConfirmations < 1 || minAmount < 0) {
      throw new IllegalArgumentException(
          "maturationPeriod >= 0, minConfirmations >= 1 and " + "minAmount >= 0 required");
    }
    if (requiredPrefixHex != null) {
      byte[] p = HexFormat.of().parseHex(requiredPrefixHex);
      if (p.length != 4) {
        throw new IllegalArgumentException("LOKAD prefix must be 4 bytes, got " + p.length);
      }
      requiredPrefixHex = HexFormat.of().formatHex(p);
    }
    if (requiredVersion < -1 || requiredVersion > 255) {
      throw new IllegalArgumentException("version must be -1 (any) or 0..255");
    }
    Objects.requireNonNull(formatCheck, "formatCheck");
  }

  /**
   * What lotus-sdk's {@code verifyBurnTransaction(txId, outputIndex)} checks: a mined data output,
   * maturation period 100, no rule on amount, prefix or version.
   */
  public static BurnPolicy lotusSdkDefault() {
    return builder().build();
  }

  /**
   * The MuSig2 "LTMS" identity registration rules of lotus-sdk: maturation 144 blocks, at least 50
   * XPI, prefix "LTMS", version 1, payload starting with a valid compressed public key.
   */
  public static BurnPolicy ltmsIdentityRegistration() {
    return ltms(
        LtmsIdentityBurn.IDENTITY_REGISTRATION_MATURATION,
        LtmsIdentityBurn.IDENTITY_REGISTRATION_AMOUNT);
  }

  /**
   * The "LTMS" key-rotation rules: maturation 72 blocks, at least 5 XPI, otherwise as registration.
   */
  public static BurnPolicy ltmsKeyRotation() {
    return ltms(LtmsIdentityBurn.KEY_ROTATION_MATURATION, LtmsIdentityBurn.KEY_ROTATION_AMOUNT);
  }

  private static BurnPolicy ltms(int maturation, long amount) {
    return builder()
        .maturationPeriod(maturation)
        .minAmount(amount)
        .requiredPrefix(HexFormat.of().parseHex(LtmsIdentityBurn.PREFIX_HEX))
        .requiredVersion(LtmsIdentityBurn.VERSION)
        .formatCheck(script -> LtmsIdentityBurn.parse(script).isPresent())
        .build();
  }

  /** Returns a builder with lotus-sdk's defaults (maturation 100, 1 confirmation, any format). */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link BurnPolicy}; not thread-safe. */
  public static final class Builder {
    private int maturationPeriod = DEFAULT_MATURATION;
    private int minConfirmations = 1;
    private long minAmount;
    private String prefixHex;
    private int version = -1;
    private Predicate<byte[]> formatCheck = s -> true;

    private Builder() {}

    /** Confirmations to be matured; default 100; 0 means no maturation. */
    public Builder maturationPeriod(int blocks) {
      maturationPeriod = blocks;
      return this;
    }

    /** Minimum confirmations; default 1. */
    public Builder minConfirmations(int n) {
      minConfirmations = n;
      return this;
    }

    /** Minimum burn in satoshis; default 0. */
    public Builder minAmount(long sats) {
      minAmount = sats;
      return this;
    }

    /** Required 4-byte LOKAD prefix; default any. */
    public Builder requiredPrefix(byte[] prefix) {
      prefixHex = HexFormat.of().formatHex(prefix);
      return this;
    }

    /** Required LOKAD version byte; default any. */
    public Builder requiredVersion(int v) {
      version = v;
      return this;
    }

    /** Script format test; default accepts every data output. */
    public Builder formatCheck(Predicate<byte[]> check) {
      formatCheck = check;
      return this;
    }

    /** Builds the validated policy. */
    public BurnPolicy build() {
      return new BurnPolicy(
          maturationPeriod, minConfirmations, minAmount, prefixHex, version, formatCheck);
    }
  }
}
