package org.lotusia.chain.chronik;

import java.util.HexFormat;

/**
 * One output of a transaction as indexed by Chronik.
 *
 * @param value value in satoshis
 * @param outputScript scriptPubKey as lowercase hex
 * @param spentBy the input that spends this output, or {@code null} while unspent
 */
public record ChronikTxOutput(long value, String outputScript, ChronikOutPoint spentBy) {

  /** Returns a fresh copy of the output script bytes. */
  public byte[] outputScriptBytes() {
    return HexFormat.of().parseHex(outputScript);
  }

  /** Returns true when Chronik reports an input spending this output. */
  public boolean isSpent() {
    return spentBy != null;
  }
}
