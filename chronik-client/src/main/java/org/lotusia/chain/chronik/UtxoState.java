package org.lotusia.chain.chronik;

/**
 * State of one outpoint as answered by {@code /validate-utxos}.
 *
 * @param height height of the block that created the output, -1 if unconfirmed or unknown
 * @param isConfirmed whether the creating transaction is mined
 * @param state whether the output is unspent, spent, or does not exist
 */
public record UtxoState(int height, boolean isConfirmed, Variant state) {

  /** Chronik's {@code UtxoStateVariant}. */
  public enum Variant {
    /** The output exists and is unspent. */
    UNSPENT,
    /** The output exists and is spent. */
    SPENT,
    /** No transaction with that txid is known. */
    NO_SUCH_TX,
    /** The transaction exists but has no output with that index. */
    NO_SUCH_OUTPUT,
    /** A value this client does not know. */
    UNKNOWN
  }
}
