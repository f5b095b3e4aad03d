package org.lotusia.chain.tx;

/**
 * Limits applied when parsing an untrusted serialised transaction. Defaults: 1,000,000 bytes total,
 * 100,000 inputs and outputs, 10,000-byte scripts (the consensus script size limit).
 *
 * @param maxSize maximum serialised size in bytes
 * @param maxInputs maximum number of inputs
 * @param maxOutputs maximum number of outputs
 * @param maxScriptSize maximum size of one script
 */
public record TxParseLimits(int maxSize, int maxInputs, int maxOutputs, int maxScriptSize) {

  /** The default limits. */
  public static final TxParseLimits DEFAULT =
      new TxParseLimits(1_000_000, 100_000, 100_000, 10_000);

  /** Validates. @throws IllegalArgumentException if any limit is not positive */
  public TxParseLimits {
    if (maxSize <= 0 || maxInputs <= 0 || maxOutputs <= 0 || maxScriptSize <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
