package org.lotusia.chain.tx;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.encoding.ByteReader;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;

/**
 * An immutable Lotus transaction (Bitcoin legacy layout, no segwit): {@code version || varint nIn
 * || inputs || varint nOut || outputs || nLockTime}.
 *
 * <p>{@link #txid()} is the Lotus identifier, which omits input scripts (Merkle roots of inputs and
 * outputs); {@link #hash()} is the double SHA-256 of the full serialisation. Thread-safe
 * (immutable).
 */
public final class Transaction {

  /** lotus-sdk's current transaction version. */
  public static final int CURRENT_VERSION = 2;

  private final int version;
  private final List<TxInput> inputs;
  private final List<TxOutput> outputs;
  private final long lockTime;

  /**
   * Creates a transaction.
   *
   * @param lockTime nLockTime, 0..2^32-1
   * @throws IllegalArgumentException for a lock time out of range or null lists
   */
  public Transaction(int version, List<TxInput> inputs, List<TxOutput> outputs, long lockTime) {
    if (inputs == null || outputs == null) {
      throw new IllegalArgumentException("inputs and outputs must not be null");
    }
    if (lockTime < 0 || lockTime > 0xffffffffL) {
      throw new IllegalArgumentException("lock time out of uint32 range: " + lockTime);
    }
    this.version = version;
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.lockTime = lockTime;
  }

  /** nVersion. */
  public int version() {
    return version;
  }

  /** The inputs (unmodifiable). */
  public List<TxInput> inputs() {
    return inputs;
  }

  /** The outputs (unmodifiable). */
  public List<TxOutput> outputs() {
    return outputs;
  }

  /** nLockTime. */
  public long lockTime() {
    return lockTime;
  }

  /** A copy with input {@code index}'s script replaced. */
  public Transaction withInputScript(int index, Script script) {
    List<TxInput> in = new ArrayList<>(inputs);
    in.set(index, in.get(index).withScript(script));
    return new Transaction(version, in, outputs, lockTime);
  }

  /** The full serialisation. */
  public byte[] serialize() {
    ByteWriter w = new ByteWriter(size());
    w.u32(version).varInt(inputs.size());
    for (TxInput in : inputs) {
      in.prevout().write(w);
      w.varBytes(in.scriptSig().bytes()).u32(in.sequence());
    }
    w.varInt(outputs.size());
    for (TxOutput out : outputs) {
      out.write(w);
    }
    w.u32(lockTime);
    return w.toByteArray();
  }

  /** Lower-case hex of the serialisation. */
  public String toHex() {
    return HexFormat.of().formatHex(serialize());
  }

  /** Serialised size in bytes. */
  public int size() {
    int n = 4 + ByteWriter.varIntSize(inputs.size()) + ByteWriter.varIntSize(outputs.size()) + 4;
    for (TxInput in : inputs) {
      n += 36 + ByteWriter.varIntSize(in.scriptSig().size()) + in.scriptSig().size() + 4;
    }
    for (TxOutput out : outputs) {
      n += out.serializedSize();
    }
    return n;
  }

  /** Parses with {@link TxParseLimits#DEFAULT}. */
  public static Transaction parse(byte[] raw) {
    return parse(raw, TxParseLimits.DEFAULT);
  }

  /** Parses hex with {@link TxParseLimits#DEFAULT}. */
  public static Transaction fromHex(String hex) {
    return parse(HexFormat.of().parseHex(hex));
  }

  /**
   * Parses a serialised transaction; the whole array must be consumed.
   *
   * @throws IllegalArgumentException naming the field that is truncated, over a limit or followed
   *     by junk
   */
  public static Transaction parse(byte[] raw, TxParseLimits limits) {
    if (raw.length > limits.maxSize()) {
      throw new IllegalArgumentException(
          "transaction is " + raw.length + " bytes, limit " + limits.maxSize());
    }
    ByteReader r = new ByteReader(raw);
    int version = (int) r.u32("version");
    int nIn = (int) r.varInt("input count", limits.maxInputs());
    List<TxInput> inputs = new ArrayList<>(Math.min(nIn, 1024));
    for (int i = 0; i < nIn; i++) {
      OutPoint prev =
          new OutPoint(
              r.bytes(32, "input " + i + " prevout txid"), r.u32("input " + i + " prevout index"));
      Script script = Script.of(r.varBytes("input " + i + " script", limits.maxScriptSize()));
      inputs.add(new TxInput(prev, script, r.u32("input " + i + " sequence")));
    }
    int nOut = (int) r.varInt("output count", limits.maxOutputs());
    List<TxOutput> outputs = new ArrayList<>(Math.min(nOut, 1024));
    for (int i = 0; i < nOut; i++) {
      long value = r.u64("output " + i + " value");
      if (value < 0 || value > Amount.MAX_MONEY) {
        throw new IllegalArgumentException(
            "output " + i + " value out of range: " + Long.toUnsignedString(value));
      }
      outputs.add(
          new TxOutput(
              value, Script.of(r.varBytes("output " + i + " script", limits.maxScriptSize()))));
    }
    long lockTime = r.u32("lock time");
    if (r.remaining() != 0) {
      throw new IllegalArgumentException(r.remaining() + " trailing bytes after the transaction");
    }
    return new Transaction(version, inputs, outputs, lockTime);
  }

  /**
   * The Lotus txid in internal byte order: {@code dSHA256(version || inputsRoot || inputsHeight ||
   * outputsRoot || outputsHeight || nLockTime)} where input leaves are {@code dSHA256(prevout ||
   * nSequence)} (scripts excluded) and output leaves {@code dSHA256(serialised output)}.
   */
  public byte[] txidBytes() {
    TxMerkle.Root in = inputsMerkle(inputs);
    TxMerkle.Root out = outputsMerkle(outputs);
    ByteWriter w = new ByteWriter(4 + 33 + 33 + 4);
    w.u32(version)
        .bytes(in.root())
        .u8(in.height())
        .bytes(out.root())
        .u8(out.height())
        .u32(lockTime);
    return Hashes.sha256d(w.toByteArray());
  }

  /** The txid as displayed (reversed hex), the identifier Chronik and the network use. */
  public String txid() {
    return HexFormat.of().formatHex(OutPoint.reverse(txidBytes()));
  }

  /** The hash of the full serialisation (internal order). */
  public byte[] hashBytes() {
    return Hashes.sha256d(serialize());
  }

  /** The hash of the full serialisation as displayed (reversed hex). */
  public String hash() {
    return HexFormat.of().formatHex(OutPoint.reverse(hashBytes()));
  }

  /** Sum of the output values. */
  public long outputValue() {
    long sum = 0;
    for (TxOutput o : outputs) {
      sum = Math.addExact(sum, o.value());
    }
    return sum;
  }

  /**
   * The fee given the values of the spent outputs, in input order.
   *
   * @throws IllegalArgumentException if the count differs from the inputs or the outputs exceed the
   *     inputs
   */
  public long fee(List<Long> spentValues) {
    if (spentValues.size() != inputs.size()) {
      throw new IllegalArgumentException(
          "need " + inputs.size() + " spent values, got " + spentValues.size());
    }
    long in = 0;
    for (long v : spentValues) {
      in = Math.addExact(in, v);
    }
    long fee = in - outputValue();
    if (fee < 0) {
      throw new IllegalArgumentException(
          "outputs (" + outputValue() + ") exceed inputs (" + in + ")");
    }
    return fee;
  }

  /** Merkle root over input leaves {@code dSHA256(prevout || u32LE nSequence)}. */
  public static TxMerkle.Root inputsMerkle(List<TxInput> inputs) {
    List<byte[]> leaves = new ArrayList<>(inputs.size());
    for (TxInput in : inputs) {
      ByteWriter w = new ByteWriter(40);
      in.prevout().write(w);
      w.u32(in.sequence());
      leaves.add(Hashes.sha256d(w.toByteArray()));
    }
    return TxMerkle.compute(leaves);
  }

  /** Merkle root over output leaves {@code dSHA256(u64LE value || varint len || script)}. */
  public static TxMerkle.Root outputsMerkle(List<TxOutput> outputs) {
    List<byte[]> leaves = new ArrayList<>(outputs.size());
    for (TxOutput o : outputs) {
      leaves.add(Hashes.sha256d(o.serialize()));
    }
    return TxMerkle.compute(leaves);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Transaction t
        && t.version == version
        && t.lockTime == lockTime
        && t.inputs.equals(inputs)
        && t.outputs.equals(outputs);
  }

  @Override
  public int hashCode() {
    return ((version * 31 + inputs.hashCode()) * 31 + outputs.hashCode()) * 31
        + Long.hashCode(lockTime);
  }

  @Override
  public String toString() {
    return "Transaction[txid=" + txid() + ", in=" + inputs.size() + ", out=" + outputs.size() + "]";
  }
}
