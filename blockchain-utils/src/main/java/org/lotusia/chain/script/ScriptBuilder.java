package org.lotusia.chain.script;

import org.lotusia.chain.encoding.ByteWriter;

/**
 * Builds a script from opcodes and data pushes. Data uses the minimal push for its length, exactly
 * as lotus-sdk's bitcore {@code Script._addBuffer}: empty data is OP_0, 1..75 bytes a direct push,
 * then PUSHDATA1/2/4; a 1-byte value is never turned into OP_1..OP_16. Not thread-safe.
 */
public final class ScriptBuilder {

  private final ByteWriter out = new ByteWriter(64);

  /** Appends an opcode byte. */
  public ScriptBuilder op(int opcode) {
    if (opcode < 0 || opcode > 0xff) {
      throw new IllegalArgumentException("opcode must be 0..255, got " + opcode);
    }
    out.u8(opcode);
    return this;
  }

  /** Appends a small integer opcode (OP_0, OP_1..OP_16). */
  public ScriptBuilder smallInt(int n) {
    return op(Opcodes.smallInt(n));
  }

  /** Appends a minimal data push of the bytes. */
  public ScriptBuilder data(byte[] data) {
    int n = data.length;
    if (n == 0) {
      out.u8(Opcodes.OP_0);
    } else if (n < Opcodes.OP_PUSHDATA1) {
      out.u8(n).bytes(data);
    } else if (n <= 0xff) {
      out.u8(Opcodes.OP_PUSHDATA1).u8(n).bytes(data);
    } else if (n <= 0xffff) {
      out.u8(Opcodes.OP_PUSHDATA2).u8(n).u8(n >>> 8).bytes(data);
    } else {
      out.u8(Opcodes.OP_PUSHDATA4).u32(n).bytes(data);
    }
    return this;
  }

  /** Appends raw script bytes as they are. */
  public ScriptBuilder raw(byte[] bytes) {
    out.bytes(bytes);
    return this;
  }

  /** The script built so far. */
  public Script build() {
    return Script.of(out.toByteArray());
  }
}
