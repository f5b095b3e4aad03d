package org.lotusia.chain.sighash;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptChunk;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxMerkle;
import org.lotusia.chain.tx.TxOutput;

/**
 * Computes signature hashes of one transaction: legacy (pre-fork Bitcoin), BIP143 with the fork id
 * ({@code 0x40}) and SIGHASH_LOTUS ({@code 0x60}, lotusd {@code SignatureHashLotus}). The digests
 * are returned in the order they are signed (never reversed).
 *
 * <p>Per-transaction parts (hashPrevouts, hashSequence, hashOutputs, the Lotus Merkle roots and
 * sums) are computed once and cached, so hashing every input of an n-input transaction costs O(n),
 * not O(n^2).
 *
 * <p>Not thread-safe (lazy caches); use one instance per thread or per signing pass.
 */
public final class SigHasher {

  private final Transaction tx;
  private final List<TxOutput> spentOutputs;
  private final SigHashOptions options;

  private byte[] hashPrevouts;
  private byte[] hashSequence;
  private byte[] hashOutputs;
  private TxMerkle.Root spentOutputsRoot;
  private long spentTotal = -1;
  private TxMerkle.Root inputsRoot;
  private TxMerkle.Root outputsRoot;
  private long outputTotal = -1;

  /**
   * @param tx the transaction (input scripts are ignored except by the legacy algorithm)
   * @param spentOutputs the outputs spent by each input, in input order; required for
   *     SIGHASH_LOTUS, may be null for the other algorithms
   * @param options fork id and replay protection for the FORKID and LOTUS algorithms
   * @throws IllegalArgumentException if spentOutputs is given with the wrong size
   */
  public SigHasher(Transaction tx, List<TxOutput> spentOutputs, SigHashOptions options) {
    if (spentOutputs != null && spentOutputs.size() != tx.inputs().size()) {
      throw new IllegalArgumentException(
          "need one spent output per input: "
              + tx.inputs().size()
              + " inputs, "
              + spentOutputs.size()
              + " spent outputs");
    }
    this.tx = tx;
    this.spentOutputs = spentOutputs == null ? null : List.copyOf(spentOutputs);
    this.options = options == null ? SigHashOptions.DEFAULT : options;
  }

  /** A hasher with the default options and the given spent outputs (may be null). */
  public SigHasher(Transaction tx, List<TxOutput> spentOutputs) {
    this(tx, spentOutputs, SigHashOptions.DEFAULT);
  }

  /**
   * Dispatches on the algorithm bits of the type byte: LOTUS (needs spent outputs), FORKID, or
   * legacy, for a signature checked by an executed script (P2PKH, P2SH, bare scripts).
   *
   * <p>For LOTUS the executed script is {@code scriptCode}: lotusd's interpreter commits to it with
   * spend type 2, code separator position {@code 0xffffffff} and {@code dSHA256(scriptCode)}
   * (lotusd {@code ScriptExecutionData}). A Taproot key-path spend executes no script; use {@link
   * #lotus(int, int)} for it.
   *
   * @param scriptCode the executed script (usually the spent output's script)
   * @param amount the spent amount for FORKID; ignored by the others
   * @throws IllegalArgumentException for the reserved algorithm 0x20 or an invalid LOTUS type
   */
  public byte[] hash(int inputIndex, int typeByte, Script scriptCode, long amount) {
    switch (SigHashType.algorithm(typeByte)) {
      case SigHashType.LOTUS:
        return lotus(
            inputIndex, typeByte, Hashes.sha256d(scriptCode.bytes()), 0xffffffffL);
      case SigHashType.FORKID:
        return bip143(inputIndex, scriptCode, amount, typeByte);
      case 0:
        return legacy(inputIndex, scriptCode, typeByte);
      default:
        throw new IllegalArgumentException(
            "reserved sighash algorithm bits 0x20 in type 0x" + Integer.toHexString(typeByte));
    }
  }

  /**
   * Legacy Bitcoin sighash: a modified copy of the transaction serialised with the 32-bit type,
   * double SHA-256. OP_CODESEPARATORs are removed from the script code. SINGLE with no matching
   * output returns the consensus value 1 (little-endian), as Bitcoin does.
   */
  public byte[] legacy(int inputIndex, Script scriptCode, int type) {
    checkIndex(inputIndex);
    int base = type & 0x1f;
    boolean acp = SigHashType.anyoneCanPay(type);
    if (base == SigHashType.SINGLE && inputIndex >= tx.outputs().size()) {
      byte[] one = new byte[32];
      one[0] = 1;
      return one;
    }
    byte[] code = stripCodeSeparators(scriptCode);
    ByteWriter w = new ByteWriter(tx.size() + code.length + 8);
    w.u32(tx.version());
    List<TxInput> ins = tx.inputs();
    w.varInt(acp ? 1 : ins.size());
    for (int i = 0; i < ins.size(); i++) {
      if (acp && i != inputIndex) {
        continue;
      }
      TxInput in = ins.get(i);
      in.prevout().write(w);
      w.varBytes(i == inputIndex ? code : new byte[0]);
      boolean zeroSeq = i != inputIndex && (base == SigHashType.NONE || base == SigHashType.SINGLE);
      w.u32(zeroSeq ? 0 : in.sequence());
    }
    List<TxOutput> outs = tx.outputs();
    if (base == SigHashType.NONE) {
      w.varInt(0);
    } else if (base == SigHashType.SINGLE) {
      w.varInt(inputIndex + 1);
      for (int i = 0; i < inputIndex; i++) {
        w.u64(-1L).varInt(0);
      }
      outs.get(inputIndex).write(w);
    } else {
      w.varInt(outs.size());
      for (TxOutput o : outs) {
        o.write(w);
      }
    }
    w.u32(tx.lockTime()).u32(type & 0xffffffffL);
    return Hashes.sha256d(w.toByteArray());
  }

  /**
   * BIP143 digest with the fork id (the preimage type is {@link SigHashOptions#preimageType(int)}).
   */
  public byte[] bip143(int inputIndex, Script scriptCode, long amount, int typeByte) {
    checkIndex(inputIndex);
    int base = SigHashType.base(typeByte);
    boolean acp = SigHashType.anyoneCanPay(typeByte);
    byte[] zero = new byte[32];
    byte[] prevouts = acp ? zero : hashPrevouts();
    byte[] sequences =
        acp || base == SigHashType.SINGLE || base == SigHashType.NONE ? zero : hashSequence();
    byte[] outputs;
    if (base != SigHashType.SINGLE && base != SigHashType.NONE) {
      outputs = hashOutputs();
    } else if (base == SigHashType.SINGLE && inputIndex < tx.outputs().size()) {
      outputs = Hashes.sha256d(tx.outputs().get(inputIndex).serialize());
    } else {
      outputs = zero;
    }
    TxInput in = tx.inputs().get(inputIndex);
    byte[] code = scriptCode.bytes();
    ByteWriter w = new ByteWriter(160 + code.length + 9);
    w.u32(tx.version()).bytes(prevouts).bytes(sequences);
    in.prevout().write(w);
    w.varBytes(code)
        .u64(amount)
        .u32(in.sequence())
        .bytes(outputs)
        .u32(tx.lockTime())
        .u32(options.preimageType(typeByte) & 0xffffffffL);
    return Hashes.sha256d(w.toByteArray());
  }

  /** SIGHASH_LOTUS for a key-path spend (no executed script). */
  public byte[] lotus(int inputIndex, int typeByte) {
    return lotus(inputIndex, typeByte, null, 0xffffffffL);
  }

  /**
   * SIGHASH_LOTUS (lotusd {@code SignatureHashLotus}).
   *
   * @param executedScriptHash 32-byte hash of the executed script for a script-path spend, or null
   *     for key path
   * @param codeSeparatorPos position of the last executed OP_CODESEPARATOR (0xffffffff when none);
   *     used only with an executed script
   * @throws IllegalArgumentException if the type is invalid ({@code (t & 3) == 0} or {@code (t &
   *     0x1c) != 0}), the spent outputs are missing, or SINGLE has no matching output
   */
  public byte[] lotus(
      int inputIndex, int typeByte, byte[] executedScriptHash, long codeSeparatorPos) {
    checkIndex(inputIndex);
    if ((typeByte & 0x03) == 0 || (typeByte & 0x1c) != 0) {
      throw new IllegalArgumentException(
          "invalid SIGHASH_LOTUS type 0x" + Integer.toHexString(typeByte));
    }
    if (spentOutputs == null) {
      throw new IllegalArgumentException("SIGHASH_LOTUS needs the spent output of every input");
    }
    if (executedScriptHash != null && executedScriptHash.length != 32) {
      throw new IllegalArgumentException("executed script hash must be 32 bytes");
    }
    int base = SigHashType.base(typeByte);
    boolean acp = SigHashType.anyoneCanPay(typeByte);
    TxInput in = tx.inputs().get(inputIndex);
    TxOutput spent = spentOutputs.get(inputIndex);

    ByteWriter inputData = new ByteWriter(64 + spent.script().size());
    inputData.u8(executedScriptHash == null ? 0 : 2);
    in.prevout().write(inputData);
    inputData.u32(in.sequence());
    spent.write(inputData);

    ByteWriter w = new ByteWriter(200);
    w.u32(options.preimageType(typeByte) & 0xffffffffL);
    w.bytes(Hashes.sha256d(inputData.toByteArray()));
    if (executedScriptHash != null) {
      w.u32(codeSeparatorPos).bytes(executedScriptHash);
    }
    if (!acp) {
      computeSpentOutputs();
      w.u32(inputIndex).bytes(spentOutputsRoot.root()).u64(spentTotal);
    }
    if (base == SigHashType.ALL) {
      w.u64(outputTotal());
    }
    w.u32(tx.version());
    if (!acp) {
      TxMerkle.Root r = inputsRoot();
      w.bytes(r.root()).u8(r.height());
    }
    if (base == SigHashType.SINGLE) {
      if (inputIndex >= tx.outputs().size()) {
        throw new IllegalArgumentException("SIGHASH_SINGLE: no output " + inputIndex);
      }
      w.bytes(Hashes.sha256d(tx.outputs().get(inputIndex).serialize()));
    }
    if (base == SigHashType.ALL) {
      TxMerkle.Root r = outputsRoot();
      w.bytes(r.root()).u8(r.height());
    }
    w.u32(tx.lockTime());
    return Hashes.sha256d(w.toByteArray());
  }

  private void checkIndex(int inputIndex) {
    if (inputIndex < 0 || inputIndex >= tx.inputs().size()) {
      throw new IllegalArgumentException(
          "input index "
              + inputIndex
              + " out of range (transaction has "
              + tx.inputs().size()
              + " inputs)");
    }
  }

  private byte[] hashPrevouts() {
    if (hashPrevouts == null) {
      ByteWriter w = new ByteWriter(36 * tx.inputs().size());
      for (TxInput in : tx.inputs()) {
        in.prevout().write(w);
      }
      hashPrevouts = Hashes.sha256d(w.toByteArray());
    }
    return hashPrevouts;
  }

  private byte[] hashSequence() {
    if (hashSequence == null) {
      ByteWriter w = new ByteWriter(4 * tx.inputs().size());
      for (TxInput in : tx.inputs()) {
        w.u32(in.sequence());
      }
      hashSequence = Hashes.sha256d(w.toByteArray());
    }
    return hashSequence;
  }

  private byte[] hashOutputs() {
    if (hashOutputs == null) {
      ByteWriter w = new ByteWriter(64 * tx.outputs().size());
      for (TxOutput o : tx.outputs()) {
        o.write(w);
      }
      hashOutputs = Hashes.sha256d(w.toByteArray());
    }
    return hashOutputs;
  }

  private void computeSpentOutputs() {
    if (spentOutputsRoot == null) {
      List<byte[]> leaves = new ArrayList<>(spentOutputs.size());
      long total = 0;
      for (TxOutput o : spentOutputs) {
        leaves.add(Hashes.sha256d(o.serialize()));
        total = Math.addExact(total, o.value());
      }
      spentOutputsRoot = TxMerkle.compute(leaves);
      spentTotal = total;
    }
  }

  private long outputTotal() {
    if (outputTotal < 0) {
      outputTotal = tx.outputValue();
    }
    return outputTotal;
  }

  private TxMerkle.Root inputsRoot() {
    if (inputsRoot == null) {
      inputsRoot = Transaction.inputsMerkle(tx.inputs());
    }
    return inputsRoot;
  }

  private TxMerkle.Root outputsRoot() {
    if (outputsRoot == null) {
      outputsRoot = Transaction.outputsMerkle(tx.outputs());
    }
    return outputsRoot;
  }

  private static byte[] stripCodeSeparators(Script script) {
    byte[] raw = script.bytes();
    boolean any = false;
    for (ScriptChunk c : script.tryChunks().orElse(List.of())) {
      if (c.opcode() == 0xab) {
        any = true;
        break;
      }
    }
    if (!any) {
      return raw;
    }
    ScriptBuilderCopy b = new ScriptBuilderCopy();
    for (ScriptChunk c : script.chunks()) {
      if (c.opcode() != 0xab) {
        b.append(c);
      }
    }
    return b.toByteArray();
  }

  /** Re-serialises chunks with their original push opcodes (not re-minimised). */
  private static final class ScriptBuilderCopy {
    private final ByteWriter w = new ByteWriter();

    void append(ScriptChunk c) {
      w.u8(c.opcode());
      byte[] d = c.data();
      if (d == null) {
        return;
      }
      if (c.opcode() == 0x4c) {
        w.u8(d.length);
      } else if (c.opcode() == 0x4d) {
        w.u8(d.length).u8(d.length >>> 8);
      } else if (c.opcode() == 0x4e) {
        w.u32(d.length);
      }
      w.bytes(d);
    }

    byte[] toByteArray() {
      return w.toByteArray();
    }
  }
}
