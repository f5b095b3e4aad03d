package org.lotusia.chain.tx;

import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;

/**
 * A transaction output (also used to describe the output an input spends).
 *
 * @param value amount in satoshis (1 XPI = 1,000,000), 0..{@link Amount#MAX_MONEY}
 * @param script the output script
 */
public record TxOutput(long value, Script script) {

  /**
   * Validates. @throws IllegalArgumentException for a negative or too large value or a null script
   */
  public TxOutput {
    if (value < 0 || value > Amount.MAX_MONEY) {
      throw new IllegalArgumentException(
          "output value out of range [0, " + Amount.MAX_MONEY + "]: " + value);
    }
    if (script == null) {
      throw new IllegalArgumentException("script must not be null");
    }
  }

  /** Writes {@code u64LE value || varint len || script}. */
  public void write(ByteWriter w) {
    w.u64(value).varBytes(script.bytes());
  }

  /** The serialised output. */
  public byte[] serialize() {
    ByteWriter w = new ByteWriter(9 + script.size() + 3);
    write(w);
    return w.toByteArray();
  }

  /** Serialised size in bytes. */
  public int serializedSize() {
    return 8 + ByteWriter.varIntSize(script.size()) + script.size();
  }
}
