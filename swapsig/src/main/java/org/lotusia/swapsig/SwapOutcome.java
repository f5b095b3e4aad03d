package org.lotusia.swapsig;

/**
 * How a participation ended for this node's funds. Immutable.
 *
 * @param poolId the pool
 * @param status the kind of ending
 * @param txid the payout (COMPLETED) or refund (REFUNDED) transaction, else null
 * @param amount satoshis received at the destination or refund script, else 0
 * @param reason why the pool did not complete, or null
 */
public record SwapOutcome(String poolId, Status status, String txid, long amount, String reason) {

  /** The kinds of ending. */
  public enum Status {
    /** The payout reached the destination with the required confirmations. */
    COMPLETED,
    /** The pool aborted after the setup transaction was broadcast; the refund confirmed. */
    REFUNDED,
    /** The pool aborted before this node's funds left its input. */
    ABORTED,
    /**
     * The funds left and did not come back: the output that pays this node was spent elsewhere,
     * which takes every co-signer of that output acting together.
     */
    FAILED
  }
}
