package org.lotusia.chain.builder;

/** Thrown when a transaction's outputs plus fee exceed its inputs. Carries both totals. */
public final class InsufficientFundsException extends IllegalStateException {

  private final long available;
  private final long required;

  /**
   * @param available sum of the input values
   * @param required sum of the outputs plus the fee
   */
  public InsufficientFundsException(long available, long required) {
    super(
        "insufficient funds: inputs total "
            + available
            + " sats, outputs plus fee need "
            + required
            + " sats (short by "
            + (required - available)
            + ")");
    this.available = available;
    this.required = required;
  }

  /** Sum of the input values in satoshis. */
  public long available() {
    return available;
  }

  /** Outputs plus fee in satoshis. */
  public long required() {
    return required;
  }
}
