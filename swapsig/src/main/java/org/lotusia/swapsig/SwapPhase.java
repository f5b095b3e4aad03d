package org.lotusia.swapsig;

/**
 * The phases of a pool as seen by one node, with lotus-sdk's string values ({@code SwapPhase},
 * reference 1.4). Order of a successful pool: {@code DISCOVERY → REGISTRATION → SETUP →
 * SETUP_CONFIRM → REVEAL → SETTLEMENT → SETTLEMENT_CONFIRM → COMPLETE}; any phase may end in
 * {@code ABORTED}. A new roster round (a participant excluded before any setup transaction is
 * broadcast) returns to {@code SETUP}.
 */
public enum SwapPhase {
  /** The pool is announced; nobody registered yet. */
  DISCOVERY("discovery"),
  /** Registrations are collected (creator) or this node's is sent (participant). */
  REGISTRATION("registration"),
  /** The roster is closed; signed setup transactions are exchanged, nothing is broadcast yet. */
  SETUP("setup"),
  /** Every setup transaction is broadcast; confirmations and burns are checked. */
  SETUP_CONFIRM("setup-confirm"),
  /** Destinations are revealed, encrypted, to the co-signers of the outputs that pay them. */
  REVEAL("reveal"),
  /** The groups sign the settlements with MuSig2. */
  SETTLEMENT("settlement"),
  /** The settlements are broadcast; confirmations are tracked. */
  SETTLEMENT_CONFIRM("settlement-confirm"),
  /** Done: this node's payout is confirmed. */
  COMPLETE("complete"),
  /** Aborted; funds already in a shared output come back through the refund path. */
  ABORTED("aborted");

  private final String wireName;

  SwapPhase(String wireName) {
    this.wireName = wireName;
  }

  /** lotus-sdk's string value. */
  public String wireName() {
    return wireName;
  }

  /** Whether no further phase follows. */
  public boolean isTerminal() {
    return this == COMPLETE || this == ABORTED;
  }
}
