package org.lotusia.swapsig;

import java.time.Duration;
import java.util.Objects;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.burn.SwapSigBurn;
import org.lotusia.chain.tx.Amount;

/**
 * The terms of a pool, fixed by its creator and signed in its announcement: every participant
 * derives the same transactions from them. Immutable; build with {@link #builder(long)}.
 *
 * <p>Amounts follow from the terms: every participant's setup transaction pays exactly {@code
 * denomination} to a shared output and {@link #burnAmount()} to the burn, and needs an input of at
 * least {@link #requiredInput()}; every settlement pays {@link #payoutAmount()} ({@code
 * denomination - 200 * feeRate}, lotus-sdk's settlement fee) to a destination; a refund returns
 * {@link #refundAmount()} ({@code denomination - 300 * feeRate}).
 *
 * @param network the Lotus network the pool runs on
 * @param denomination the amount every participant swaps, in satoshis
 * @param minParticipants fewest participants the pool runs with (3 or more)
 * @param maxParticipants most participants (at most {@value #MAX_PARTICIPANTS})
 * @param feeRate fee rate in satoshis per byte (lotus-sdk's {@code feeRate}), 1 to 1000
 * @param burnPercentage share of the denomination burned in every setup transaction
 * @param registrationTimeout how long registration stays open after creation
 * @param setupTimeout how long participants have to hand in their signed setup transactions
 * @param setupConfirmTimeout how long the setup transactions have to confirm
 * @param settlementTimeout how long destination reveal and settlement signing may take
 * @param requiredConfirmations confirmations of setup and settlement transactions, 1 to 100
 * @param refundLockBlocks relative lock of every shared output's refund path, in blocks
 */
public record PoolParameters(
    Network network,
    long denomination,
    int minParticipants,
    int maxParticipants,
    int feeRate,
    double burnPercentage,
    Duration registrationTimeout,
    Duration setupTimeout,
    Duration setupConfirmTimeout,
    Duration settlementTimeout,
    int requiredConfirmations,
    int refundLockBlocks) {

  /** Most participants of one pool (keeps every pool message below 100,000 bytes). */
  public static final int MAX_PARTICIPANTS = 50;

  /** Bytes of a settlement transaction the fee pays for (lotus-sdk's {@code 200 * feeRate}). */
  public static final int SETTLEMENT_FEE_BYTES = 200;

  /** Bytes of a refund transaction the fee pays for (script-path spend, about 225 bytes). */
  public static final int REFUND_FEE_BYTES = 300;

  /** Bytes of a setup transaction with change the input must also cover (about 296 bytes). */
  public static final int SETUP_FEE_BYTES = 300;

  /** Validates every term. @throws IllegalArgumentException naming the term and its range */
  public PoolParameters {
    Objects.requireNonNull(network, "network");
    check(minParticipants >= 3, "minParticipants must be at least 3, got " + minParticipants);
    check(
        maxParticipants >= minParticipants && maxParticipants <= MAX_PARTICIPANTS,
        "maxParticipants must be within [minParticipants, " + MAX_PARTICIPANTS + "], got "
            + maxParticipants);
    check(feeRate >= 1 && feeRate <= 1000, "feeRate must be 1..1000 sats per byte, got " + feeRate);
    check(
        burnPercentage >= SwapSigBurn.MIN_PERCENTAGE && burnPercentage <= SwapSigBurn.MAX_PERCENTAGE,
        "burnPercentage must be within [0.0005, 0.01], got " + burnPercentage);
    check(
        denomination > 0 && denomination <= Amount.MAX_MONEY / 2,
        "denomination must be positive and at most 1.05e15 sats, got " + denomination);
    check(
        denomination - (long) REFUND_FEE_BYTES * feeRate >= Amount.DUST,
        "denomination " + denomination + " leaves a refund below the dust limit at feeRate "
            + feeRate + "; it must be at least " + (Amount.DUST + (long) REFUND_FEE_BYTES * feeRate));
    positive(registrationTimeout, "registrationTimeout");
    positive(setupTimeout, "setupTimeout");
    positive(setupConfirmTimeout, "setupConfirmTimeout");
    positive(settlementTimeout, "settlementTimeout");
    check(
        requiredConfirmations >= 1 && requiredConfirmations <= 100,
        "requiredConfirmations must be 1..100, got " + requiredConfirmations);
    check(
        refundLockBlocks >= 2 && refundLockBlocks <= 0xffff,
        "refundLockBlocks must be 2..65535, got " + refundLockBlocks);
  }

  /**
   * @param denomination the amount every participant swaps, in satoshis
   * @return a builder with lotus-sdk's defaults: mainnet, 3 to 10 participants, 1 sat per byte,
   *     0.1 % burn, timeouts of 10 min (registration), 5 min (setup), 60 min (setup confirmation)
   *     and 10 min (settlement), 1 confirmation, refunds after 144 blocks
   */
  public static Builder builder(long denomination) {
    return new Builder(denomination);
  }

  /** The burn of every setup transaction: lotus-sdk's clamp of {@code floor(denomination * p)}. */
  public long burnAmount() {
    return SwapSigBurn.burnAmount(denomination, burnPercentage);
  }

  /** Smallest input a participant may register: denomination, burn and the setup fee. */
  public long requiredInput() {
    return denomination + burnAmount() + (long) SETUP_FEE_BYTES * feeRate;
  }

  /** What every destination receives. */
  public long payoutAmount() {
    return denomination - (long) SETTLEMENT_FEE_BYTES * feeRate;
  }

  /** What a refund returns to its owner. */
  public long refundAmount() {
    return denomination - (long) REFUND_FEE_BYTES * feeRate;
  }

  /** The fee rate in satoshis per 1,000 bytes, as the transaction builder takes it. */
  public long feePerKb() {
    return feeRate * 1000L;
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    check(!d.isNegative() && !d.isZero(), name + " must be positive, got " + d);
    check(d.toMillis() <= Duration.ofDays(7).toMillis(), name + " must be at most 7 days, got " + d);
  }

  /** Builder of {@link PoolParameters}; not thread-safe. */
  public static final class Builder {
    private final long denomination;
    private Network network = Network.MAINNET;
    private int minParticipants = 3;
    private int maxParticipants = 10;
    private int feeRate = 1;
    private double burnPercentage = SwapSigBurn.DEFAULT_PERCENTAGE;
    private Duration registrationTimeout = Duration.ofMinutes(10);
    private Duration setupTimeout = Duration.ofMinutes(5);
    private Duration setupConfirmTimeout = Duration.ofMinutes(60);
    private Duration settlementTimeout = Duration.ofMinutes(10);
    private int requiredConfirmations = 1;
    private int refundLockBlocks = 144;

    private Builder(long denomination) {
      this.denomination = denomination;
    }

    /** Network; default mainnet. */
    public Builder network(Network n) {
      network = n;
      return this;
    }

    /** Participant bounds; default 3 and 10. */
    public Builder participants(int min, int max) {
      minParticipants = min;
      maxParticipants = max;
      return this;
    }

    /** Fee rate in satoshis per byte; default 1. */
    public Builder feeRate(int satsPerByte) {
      feeRate = satsPerByte;
      return this;
    }

    /** Burn share; default 0.001. */
    public Builder burnPercentage(double p) {
      burnPercentage = p;
      return this;
    }

    /** Registration window; default 10 min. */
    public Builder registrationTimeout(Duration d) {
      registrationTimeout = d;
      return this;
    }

    /** Window to hand in signed setup transactions; default 5 min. */
    public Builder setupTimeout(Duration d) {
      setupTimeout = d;
      return this;
    }

    /** Window for the setup transactions to confirm; default 60 min. */
    public Builder setupConfirmTimeout(Duration d) {
      setupConfirmTimeout = d;
      return this;
    }

    /** Window for reveal and settlement; default 10 min. */
    public Builder settlementTimeout(Duration d) {
      settlementTimeout = d;
      return this;
    }

    /** Confirmations required; default 1. */
    public Builder requiredConfirmations(int n) {
      requiredConfirmations = n;
      return this;
    }

    /** Relative lock of the refund path in blocks; default 144 (about 4.8 hours). */
    public Builder refundLockBlocks(int blocks) {
      refundLockBlocks = blocks;
      return this;
    }

    /** @return the validated terms */
    public PoolParameters build() {
      return new PoolParameters(
          network,
          denomination,
          minParticipants,
          maxParticipants,
          feeRate,
          burnPercentage,
          registrationTimeout,
          setupTimeout,
          setupConfirmTimeout,
          settlementTimeout,
          requiredConfirmations,
          refundLockBlocks);
    }
  }
}
