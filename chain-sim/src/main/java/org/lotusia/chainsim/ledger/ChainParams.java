package org.lotusia.chainsim.ledger;

import org.lotusia.chain.address.Network;

/**
 * The rules and limits of a simulated chain. Defaults are lotusd's (consensus.h, policy.h,
 * validation.h); build with {@link #builder()}. Immutable.
 *
 * @param network address network of the chain (default regtest, {@code lotusR...})
 * @param coinbaseMaturity blocks before a coinbase output may be spent (lotusd 100)
 * @param subsidy coinbase reward in satoshis before fees (lotusd 260 XPI at minimum difficulty)
 * @param minRelayFeePerKb minimum relay fee rate in satoshis per 1,000 bytes (lotusd 1,000)
 * @param dustRelayFeePerKb fee rate that defines dust (lotusd 1,000: 546 sats for P2PKH)
 * @param maxStandardTxSize largest relayed transaction in bytes (lotusd 100,000)
 * @param maxDataCarrierBytes largest OP_RETURN output script in bytes (lotusd 223)
 * @param taprootActive whether the 2nd Samuel upgrade (Taproot and SIGHASH_LOTUS) is active
 * @param replayProtection whether the 2nd Kings replay protection (sighash fork value) is active
 * @param maxMempoolTxs most transactions in the mempool; more are refused with {@code mempool
 *     full}
 * @param maxMempoolBytes most serialized bytes in the mempool
 * @param maxAncestors most in-mempool ancestors of a transaction, itself included (lotusd 50)
 */
public record ChainParams(
    Network network,
    int coinbaseMaturity,
    long subsidy,
    long minRelayFeePerKb,
    long dustRelayFeePerKb,
    int maxStandardTxSize,
    int maxDataCarrierBytes,
    boolean taprootActive,
    boolean replayProtection,
    int maxMempoolTxs,
    long maxMempoolBytes,
    int maxAncestors) {

  /** Validates. @throws IllegalArgumentException naming a setting out of range */
  public ChainParams {
    if (network == null) {
      throw new IllegalArgumentException("network must not be null");
    }
    if (coinbaseMaturity < 0 || coinbaseMaturity > 10_000) {
      throw new IllegalArgumentException("coinbaseMaturity must be 0..10000: " + coinbaseMaturity);
    }
    if (subsidy <= 0 || subsidy > 21_000_000_000_000L) {
      throw new IllegalArgumentException("subsidy must be positive and at most 21e12: " + subsidy);
    }
    if (minRelayFeePerKb < 0 || dustRelayFeePerKb < 0) {
      throw new IllegalArgumentException("fee rates must be non-negative");
    }
    if (maxStandardTxSize < 100 || maxDataCarrierBytes < 1) {
      throw new IllegalArgumentException("maxStandardTxSize >= 100, maxDataCarrierBytes >= 1");
    }
    if (maxMempoolTxs < 1 || maxMempoolBytes < 1 || maxAncestors < 1) {
      throw new IllegalArgumentException("mempool limits must be positive");
    }
  }

  /** lotusd's defaults on regtest with both upgrades as today (Taproot on, replay protection off). */
  public static ChainParams defaults() {
    return builder().build();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link ChainParams}; not thread-safe. */
  public static final class Builder {
    private Network network = Network.REGTEST;
    private int coinbaseMaturity = 100;
    private long subsidy = 260_000_000L;
    private long minRelayFeePerKb = 1000;
    private long dustRelayFeePerKb = 1000;
    private int maxStandardTxSize = 100_000;
    private int maxDataCarrierBytes = 223;
    private boolean taprootActive = true;
    private boolean replayProtection;
    private int maxMempoolTxs = 10_000;
    private long maxMempoolBytes = 32L * 1024 * 1024;
    private int maxAncestors = 50;

    private Builder() {}

    /** Address network; default regtest. */
    public Builder network(Network n) {
      network = n;
      return this;
    }

    /** Coinbase maturity in blocks; default 100. */
    public Builder coinbaseMaturity(int blocks) {
      coinbaseMaturity = blocks;
      return this;
    }

    /** Block subsidy in satoshis; default 260,000,000. */
    public Builder subsidy(long sats) {
      subsidy = sats;
      return this;
    }

    /** Minimum relay fee, satoshis per 1,000 bytes; default 1,000. */
    public Builder minRelayFeePerKb(long sats) {
      minRelayFeePerKb = sats;
      return this;
    }

    /** Dust fee rate, satoshis per 1,000 bytes; default 1,000. */
    public Builder dustRelayFeePerKb(long sats) {
      dustRelayFeePerKb = sats;
      return this;
    }

    /** Largest standard transaction; default 100,000 bytes. */
    public Builder maxStandardTxSize(int bytes) {
      maxStandardTxSize = bytes;
      return this;
    }

    /** Largest OP_RETURN script; default 223 bytes. */
    public Builder maxDataCarrierBytes(int bytes) {
      maxDataCarrierBytes = bytes;
      return this;
    }

    /** Whether Taproot and SIGHASH_LOTUS are active; default true. */
    public Builder taprootActive(boolean active) {
      taprootActive = active;
      return this;
    }

    /** Whether the replay-protection sighash rewrite is active; default false. */
    public Builder replayProtection(boolean active) {
      replayProtection = active;
      return this;
    }

    /** Mempool bounds; defaults 10,000 transactions and 32 MiB. */
    public Builder mempoolLimits(int maxTxs, long maxBytes) {
      maxMempoolTxs = maxTxs;
      maxMempoolBytes = maxBytes;
      return this;
    }

    /** Most in-mempool ancestors; default 50. */
    public Builder maxAncestors(int n) {
      maxAncestors = n;
      return this;
    }

    /** Builds and validates. */
    public ChainParams build() {
      return new ChainParams(
          network,
          coinbaseMaturity,
          subsidy,
          minRelayFeePerKb,
          dustRelayFeePerKb,
          maxStandardTxSize,
          maxDataCarrierBytes,
          taprootActive,
          replayProtection,
          maxMempoolTxs,
          maxMempoolBytes,
          maxAncestors);
    }
  }
}
