package org.lotusia.chain.script;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One parsed script element: an opcode and, for data pushes (opcode 0x01..0x4e), the pushed bytes.
 *
 * <p>As in lotus-sdk's bitcore, opcode-only elements carry no data: {@code OP_0} and {@code
 * OP_1..OP_16} have {@code data == null}. The record defensively copies its array.
 *
 * @param opcode the opcode byte (for pushes: the length opcode or PUSHDATA1/2/4)
 * @param data the pushed bytes, or null for an opcode without data
 */
public record ScriptChunk(int opcode, byte[] data) {

  /** Copies the data array. */
  public ScriptChunk {
    data = data == null ? null : data.clone();
  }

  /** The pushed bytes (a copy), or null. */
  @Override
  public byte[] data() {
    return data == null ? null : data.clone();
  }

  /** Length of the pushed data, or -1 when there is none. */
  public int dataLength() {
    return data == null ? -1 : data.length;
  }

  /** True if this element pushes data or is a push-only opcode (OP_0, OP_1NEGATE, OP_1..OP_16). */
  public boolean isPushOnly() {
    return opcode <= Opcodes.OP_16;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ScriptChunk c && c.opcode == opcode && Arrays.equals(c.data, data);
  }

  @Override
  public int hashCode() {
    return opcode * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return data == null
        ? "op(0x" + Integer.toHexString(opcode) + ")"
        : "push(" + HexFormat.of().formatHex(data) + ")";
  }
}
