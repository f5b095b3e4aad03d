package org.lotusia.chainsim.ledger;

/**
 * The ledger refused a transaction. {@link #reason()} is lotusd's reject reason (for example {@code
 * bad-txns-inputs-missingorspent}, {@code txn-mempool-conflict}, {@code min relay fee not met},
 * {@code mandatory-script-verify-flag-failed (Invalid Taproot key spend signature)}); {@link
 * #debug()} is lotusd's debug message, possibly empty. The message is {@code reason, debug} as
 * lotusd's {@code ValidationState::ToString} writes it.
 */
public final class TxRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String reason;
  private final String debug;

  /**
   * @param reason lotusd's reject reason
   * @param debug lotusd's debug message, or empty
   */
  public TxRejectedException(String reason, String debug) {
    super(debug == null || debug.isEmpty() ? reason : reason + ", " + debug);
    this.reason = reason;
    this.debug = debug == null ? "" : debug;
  }

  /** Creates one without a debug message. */
  public TxRejectedException(String reason) {
    this(reason, "");
  }

  /** lotusd's reject reason. */
  public String reason() {
    return reason;
  }

  /** lotusd's debug message; empty if none. */
  public String debug() {
    return debug;
  }
}
