package org.lotusia.chain.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An immutable script: raw bytes with parsing into {@link ScriptChunk}s and recognition of the
 * standard templates ({@link ScriptType}). Any byte string is a valid {@code Script}; only {@link
 * #chunks()} fails on a truncated push. Thread-safe (immutable).
 */
public final class Script {

  /** Maximum size of a standard OP_RETURN data output script (lotus-sdk {@code isDataOut}). */
  public static final int MAX_DATA_OUT_SIZE = 223;

  private static final Script EMPTY = new Script(new byte[0]);
  private final byte[] bytes;

  private Script(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps a copy of the bytes. */
  public static Script of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Script(bytes.clone());
  }

  /** Parses lower- or upper-case hex. @throws IllegalArgumentException for bad hex */
  public static Script fromHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** The empty script. */
  public static Script empty() {
    return EMPTY;
  }

  /** A copy of the raw bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Length in bytes. */
  public int size() {
    return bytes.length;
  }

  /** Lower-case hex. */
  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * Parses the script into chunks.
   *
   * @throws IllegalArgumentException if a push runs past the end ("truncated push at offset i")
   */
  public List<ScriptChunk> chunks() {
    List<ScriptChunk> out = new ArrayList<>();
    int i = 0;
    while (i < bytes.length) {
      int start = i;
      int op = bytes[i++] & 0xff;
      if (op == Opcodes.OP_0 || op > Opcodes.OP_PUSHDATA4) {
        out.add(new ScriptChunk(op, null));
        continue;
      }
      long len;
      int lenBytes =
          op < Opcodes.OP_PUSHDATA1
              ? 0
              : op == Opcodes.OP_PUSHDATA1 ? 1 : op == Opcodes.OP_PUSHDATA2 ? 2 : 4;
      if (lenBytes == 0) {
        len = op;
      } else {
        if (bytes.length - i < lenBytes) {
          throw new IllegalArgumentException("truncated push length at offset " + start);
        }
        len = 0;
        for (int k = lenBytes - 1; k >= 0; k--) {
          len = (len << 8) | (bytes[i + k] & 0xff);
        }
        i += lenBytes;
      }
      if (len > bytes.length - i) {
        throw new IllegalArgumentException(
            "truncated push at offset "
                + start
                + ": needs "
                + len
                + " bytes, "
                + (bytes.length - i)
                + " left");
      }
      out.add(new ScriptChunk(op, Arrays.copyOfRange(bytes, i, i + (int) len)));
      i += (int) len;
    }
    return Collections.unmodifiableList(out);
  }

  /** The chunks, or empty if the script does not parse. */
  public Optional<List<ScriptChunk>> tryChunks() {
    try {
      return Optional.of(chunks());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** True for {@code 76 a9 14 <20> 88 ac}. */
  public boolean isP2pkh() {
    return bytes.length == 25
        && u(0) == Opcodes.OP_DUP
        && u(1) == Opcodes.OP_HASH160
        && u(2) == 20
        && u(23) == Opcodes.OP_EQUALVERIFY
        && u(24) == Opcodes.OP_CHECKSIG;
  }

  /** True for {@code a9 14 <20> 87}. */
  public boolean isP2sh() {
    return bytes.length == 23
        && u(0) == Opcodes.OP_HASH160
        && u(1) == 20
        && u(22) == Opcodes.OP_EQUAL;
  }

  /** True for {@code 21 <33-byte 02/03 key> ac} or {@code 41 <65-byte 04 key> ac}. */
  public boolean isP2pk() {
    if (bytes.length == 35) {
      return u(0) == 33 && (u(1) == 2 || u(1) == 3) && u(34) == Opcodes.OP_CHECKSIG;
    }
    return bytes.length == 67 && u(0) == 65 && u(1) == 4 && u(66) == Opcodes.OP_CHECKSIG;
  }

  /** True for Lotus Taproot {@code 62 51 21 <33>} or {@code 62 51 21 <33> 20 <32>}. */
  public boolean isP2tr() {
    boolean head =
        bytes.length >= 36
            && u(0) == Opcodes.OP_SCRIPTTYPE
            && u(1) == Opcodes.OP_1
            && u(2) == 33
            && (u(3) == 2 || u(3) == 3);
    return head && (bytes.length == 36 || (bytes.length == 69 && u(36) == 32));
  }

  /**
   * True for OP_RETURN followed only by push-only elements, at most {@value #MAX_DATA_OUT_SIZE}
   * bytes.
   */
  public boolean isDataOut() {
    if (bytes.length == 0 || u(0) != Opcodes.OP_RETURN || bytes.length > MAX_DATA_OUT_SIZE) {
      return false;
    }
    Optional<List<ScriptChunk>> chunks = tryChunks();
    return chunks.isPresent() && chunks.get().stream().skip(1).allMatch(ScriptChunk::isPushOnly);
  }

  /** The recognised template. */
  public ScriptType type() {
    if (isP2pkh()) {
      return ScriptType.P2PKH;
    }
    if (isP2sh()) {
      return ScriptType.P2SH;
    }
    if (isP2pk()) {
      return ScriptType.P2PK;
    }
    if (isP2tr()) {
      return ScriptType.P2TR;
    }
    if (isDataOut()) {
      return ScriptType.DATA;
    }
    return ScriptType.OTHER;
  }

  /** The 20-byte hash of a P2PKH or P2SH script. @throws IllegalStateException for other types */
  public byte[] hash160() {
    if (isP2pkh()) {
      return Arrays.copyOfRange(bytes, 3, 23);
    }
    if (isP2sh()) {
      return Arrays.copyOfRange(bytes, 2, 22);
    }
    throw new IllegalStateException("not a P2PKH or P2SH script: " + type());
  }

  /** The public key of a P2PK script. @throws IllegalStateException for other types */
  public byte[] p2pkPublicKey() {
    if (!isP2pk()) {
      throw new IllegalStateException("not a P2PK script: " + type());
    }
    return Arrays.copyOfRange(bytes, 1, bytes.length - 1);
  }

  /**
   * The 33-byte commitment of a Lotus Taproot script. @throws IllegalStateException for other types
   */
  public byte[] taprootCommitment() {
    if (!isP2tr()) {
      throw new IllegalStateException("not a Taproot script: " + type());
    }
    return Arrays.copyOfRange(bytes, 3, 36);
  }

  /** The optional 32-byte Taproot state. @throws IllegalStateException if not a Taproot script */
  public Optional<byte[]> taprootState() {
    if (!isP2tr()) {
      throw new IllegalStateException("not a Taproot script: " + type());
    }
    return bytes.length == 69 ? Optional.of(Arrays.copyOfRange(bytes, 37, 69)) : Optional.empty();
  }

  /**
   * The Chronik script type and payload that address this script: p2pkh/p2sh hash, p2pk key,
   * p2tr-commitment commitment, otherwise "other" with the whole script (never the full script as a
   * p2pkh payload, the lotus-sdk {@code getUtxos} bug).
   */
  public ChronikScript chronikScript() {
    ScriptType t = type();
    switch (t) {
      case P2PKH:
      case P2SH:
        return new ChronikScript(t.chronikType(), hash160());
      case P2PK:
        return new ChronikScript(t.chronikType(), p2pkPublicKey());
      case P2TR:
        return new ChronikScript(t.chronikType(), taprootCommitment());
      default:
        return new ChronikScript("other", bytes);
    }
  }

  /**
   * For a Taproot script with state, Chronik's {@code p2tr-state} type with the 32-byte state;
   * empty otherwise.
   */
  public Optional<ChronikScript> chronikStateScript() {
    if (!isP2tr()) {
      return Optional.empty();
    }
    return taprootState().map(state -> new ChronikScript("p2tr-state", state));
  }

  private int u(int i) {
    return bytes[i] & 0xff;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Script s && Arrays.equals(s.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Script[" + toHex() + "]";
  }
}
