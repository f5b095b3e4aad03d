package org.lotusia.chain.burn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A parsed OP_RETURN data output script: {@code OP_RETURN} followed only by push operations, at
 * most {@value #MAX_DATA_SCRIPT_BYTES} bytes in total (the relay rule of Lotus nodes and of the
 * lotus-sdk {@code Script.isDataOut()}). Immutable and thread-safe.
 *
 * <p>Each chunk after {@code OP_RETURN} is kept. Direct pushes and {@code OP_PUSHDATA1/2/4} carry
 * data; the opcode-only push operations ({@code OP_0}, {@code OP_1NEGATE}, {@code OP_1..OP_16},
 * and {@code OP_RESERVED}, which the push-only rule admits) carry none, so {@link #data(int)} is
 * empty for them. That matches how lotus-sdk reads LOKAD fields, so a version must be an explicit
 * push such as {@code 01 01}.
 */
public final class DataScript {

  /** Largest accepted data output script, in bytes. */
  public static final int MAX_DATA_SCRIPT_BYTES = 223;

  static final int OP_RETURN = 0x6a;
  private static final int OP_PUSHDATA1 = 0x4c;
  private static final int OP_PUSHDATA2 = 0x4d;
  private static final int OP_PUSHDATA4 = 0x4e;
  private static final int OP_16 = 0x60;

  private final List<byte[]> chunks;

  private DataScript(List<byte[]> chunks) {
    this.chunks = chunks;
  }

  /**
   * Parses a script as a data output.
   *
   * @param script the output script bytes
   * @return the parsed script, or empty if it is not OP_RETURN followed by well-formed pushes
   *     within the size limit
   */
  public static Optional<DataScript> parse(byte[] script) {
    if (script.length == 0 || script.length > MAX_DATA_SCRIPT_BYTES
        || (script[0] & 0xff) != OP_RETURN) {
      return Optional.empty();
    }
    List<byte[]> chunks = new ArrayList<>();
    int i = 1;
    while (i < script.length) {
      int op = script[i++] & 0xff;
      int len;
      if (op >= 1 && op < OP_PUSHDATA1) {
        len = op;
      } else if (op == OP_PUSHDATA1 || op == OP_PUSHDATA2 || op == OP_PUSHDATA4) {
        int width = op == OP_PUSHDATA1 ? 1 : op == OP_PUSHDATA2 ? 2 : 4;
        if (i + width > script.length) {
          return Optional.empty();
        }
        long l = 0;
        for (int k = width - 1; k >= 0; k--) {
          l = (l << 8) | (script[i + k] & 0xff);
        }
        i += width;
        if (l > script.length) {
          return Optional.empty();
        }
        len = (int) l;
      } else if (op <= OP_16) {
        chunks.add(null);
        continue;
      } else {
        return Optional.empty();
      }
      if (i + len > script.length) {
        return Optional.empty();
      }
      chunks.add(Arrays.copyOfRange(script, i, i + len));
      i += len;
    }
    return Optional.of(new DataScript(List.copyOf(chunks.stream()
        .map(c -> c == null ? NONE : c).toList())));
  }

  private static final byte[] NONE = new byte[0];

  /** Returns the number of chunks after {@code OP_RETURN}. */
  public int size() {
    return chunks.size();
  }

  /**
   * Returns a copy of the data pushed by chunk {@code i} (0 is the first chunk after OP_RETURN),
   * or empty for an opcode-only push or a missing chunk.
   */
  public Optional<byte[]> data(int i) {
    if (i < 0 || i >= chunks.size() || chunks.get(i) == NONE) {
      return Optional.empty();
    }
    return Optional.of(chunks.get(i).clone());
  }

  /** Returns the number of bytes chunk {@code i} pushes, or -1 for an opcode-only or missing chunk. */
  public int dataLength(int i) {
    if (i < 0 || i >= chunks.size() || chunks.get(i) == NONE) {
      return -1;
    }
    return chunks.get(i).length;
  }
}
