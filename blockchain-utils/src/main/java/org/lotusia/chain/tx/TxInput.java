package org.lotusia.chain.tx;

import org.lotusia.chain.script.Script;

/**
 * A transaction input.
 *
 * @param prevout the output spent
 * @param scriptSig the input script (empty before signing)
 * @param sequence nSequence, 0..2^32-1
 */
public record TxInput(OutPoint prevout, Script scriptSig, long sequence) {

  /** Default sequence number {@code 0xffffffff}. */
  public static final long DEFAULT_SEQUENCE = 0xffffffffL;

  /** Validates. @throws IllegalArgumentException for nulls or a sequence out of range */
  public TxInput {
    if (prevout == null || scriptSig == null) {
      throw new IllegalArgumentException("prevout and scriptSig must not be null");
    }
    if (sequence < 0 || sequence > 0xffffffffL) {
      throw new IllegalArgumentException("sequence out of uint32 range: " + sequence);
    }
  }

  /** An unsigned input with the default sequence. */
  public static TxInput unsigned(OutPoint prevout) {
    return new TxInput(prevout, Script.empty(), DEFAULT_SEQUENCE);
  }

  /** The same input with another script. */
  public TxInput withScript(Script script) {
    return new TxInput(prevout, script, sequence);
  }
}
