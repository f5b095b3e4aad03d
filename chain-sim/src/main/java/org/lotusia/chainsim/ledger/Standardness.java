package org.lotusia.chainsim.ledger;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptChunk;
import org.lotusia.chain.tx.Amount;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

/**
 * Context-free transaction checks with lotusd's reject reasons: the consensus ones of {@code
 * CheckRegularTransaction} ({@code src/consensus/tx_check.cpp}) and the relay policy of {@code
 * IsStandardTx} ({@code src/policy/policy.cpp}), including lotusd's output {@code Solver} and dust
 * rule. Stateless.
 */
final class Standardness {

  /** lotusd MAX_TX_SIZE. */
  static final int MAX_TX_SIZE = 1_000_000;

  /** lotusd MIN_TX_SIZE: smaller transactions are {@code bad-txns-undersize}. */
  static final int MIN_TX_SIZE = 100;

  /** Output kinds of lotusd's {@code Solver}. */
  enum OutputType {
    NONSTANDARD,
    PUBKEY,
    PUBKEYHASH,
    SCRIPTHASH,
    MULTISIG,
    NULL_DATA,
    TAPROOT
  }

  private Standardness() {}

  /** True for the null outpoint a coinbase input spends. */
  static boolean isNull(OutPoint p) {
    if (p.index() != 0xffffffffL) {
      return false;
    }
    for (byte b : p.txid()) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  static boolean isCoinbase(Transaction tx) {
    return tx.inputs().size() == 1 && isNull(tx.inputs().get(0).prevout());
  }

  /** lotusd {@code CheckRegularTransaction}. */
  static void checkRegular(Transaction tx) throws TxRejectedException {
    if (isCoinbase(tx)) {
      throw new TxRejectedException("bad-tx-coinbase");
    }
    if (tx.inputs().isEmpty()) {
      throw new TxRejectedException("bad-txns-vin-empty");
    }
    if (tx.outputs().isEmpty()) {
      throw new TxRejectedException("bad-txns-vout-empty");
    }
    if (tx.size() > MAX_TX_SIZE) {
      throw new TxRejectedException("bad-txns-oversize");
    }
    long total = 0;
    for (TxOutput out : tx.outputs()) {
      if (out.value() < 0) {
        throw new TxRejectedException("bad-txns-vout-negative");
      }
      if (out.value() > Amount.MAX_MONEY) {
        throw new TxRejectedException("bad-txns-vout-toolarge");
      }
      total += out.value();
      if (total > Amount.MAX_MONEY) {
        throw new TxRejectedException("bad-txns-txouttotal-toolarge");
      }
    }
    Set<OutPoint> seen = new HashSet<>();
    for (TxInput in : tx.inputs()) {
      if (isNull(in.prevout())) {
        throw new TxRejectedException("bad-txns-prevout-null");
      }
      if (!seen.add(in.prevout())) {
        throw new TxRejectedException("bad-txns-inputs-duplicate");
      }
    }
  }

  /** lotusd {@code IsStandardTx}. */
  static void checkStandard(Transaction tx, ChainParams params) throws TxRejectedException {
    if (tx.version() > 2 || tx.version() < 1) {
      throw new TxRejectedException("version");
    }
    if (tx.size() > params.maxStandardTxSize()) {
      throw new TxRejectedException("tx-size");
    }
    for (TxInput in : tx.inputs()) {
      if (!isPushOnly(in.scriptSig())) {
        throw new TxRejectedException("scriptsig-not-pushonly");
      }
    }
    int dataOutputs = 0;
    for (TxOutput out : tx.outputs()) {
      OutputType type = solve(out.script());
      if (type == OutputType.NONSTANDARD
          || (type == OutputType.NULL_DATA
              && out.script().size() > params.maxDataCarrierBytes())) {
        throw new TxRejectedException("scriptpubkey");
      }
      if (type == OutputType.NULL_DATA) {
        dataOutputs++;
      } else if (isDust(out, params.dustRelayFeePerKb())) {
        throw new TxRejectedException("dust");
      }
    }
    if (dataOutputs > 3) {
      throw new TxRejectedException("multi-op-return");
    }
  }

  /** lotusd {@code GetDustThreshold}: three times the fee to spend it, 0 for unspendable. */
  static long dustThreshold(TxOutput out, long dustFeePerKb) {
    if (isUnspendable(out.script())) {
      return 0;
    }
    long size = out.serializedSize() + 32 + 4 + 1 + 107 + 4;
    return 3 * fee(dustFeePerKb, size);
  }

  static boolean isDust(TxOutput out, long dustFeePerKb) {
    return out.value() < dustThreshold(out, dustFeePerKb);
  }

  /** lotusd {@code CFeeRate::GetFee}: rate * size / 1000, at least 1 sat for a positive rate. */
  static long fee(long perKb, long size) {
    long f = perKb * size / 1000;
    if (f == 0 && size != 0 && perKb > 0) {
      f = 1;
    }
    return f;
  }

  /** lotusd {@code CScript::IsUnspendable}. */
  static boolean isUnspendable(Script s) {
    return (s.size() > 0 && (s.bytes()[0] & 0xff) == 0x6a) || s.size() > 10_000;
  }

  /** lotusd {@code Solver}: the standard output kinds. */
  static OutputType solve(Script s) {
    byte[] b = s.bytes();
    if (s.isP2sh()) {
      return OutputType.SCRIPTHASH;
    }
    if (s.isP2tr()) {
      return OutputType.TAPROOT;
    }
    if (b.length >= 1 && (b[0] & 0xff) == 0x6a) {
      List<ScriptChunk> chunks = s.tryChunks().orElse(null);
      if (chunks == null) {
        return OutputType.NONSTANDARD;
      }
      for (int i = 1; i < chunks.size(); i++) {
        if (chunks.get(i).opcode() > 0x60) {
          return OutputType.NONSTANDARD;
        }
      }
      return OutputType.NULL_DATA;
    }
    if (s.isP2pk()) {
      return OutputType.PUBKEY;
    }
    if (s.isP2pkh()) {
      return OutputType.PUBKEYHASH;
    }
    return isMultisig(s) ? OutputType.MULTISIG : OutputType.NONSTANDARD;
  }

  private static boolean isMultisig(Script s) {
    List<ScriptChunk> c = s.tryChunks().orElse(null);
    if (c == null || c.size() < 4 || c.get(c.size() - 1).opcode() != 0xae) {
      return false;
    }
    int m = smallInt(c.get(0).opcode());
    int n = smallInt(c.get(c.size() - 2).opcode());
    if (m < 1 || n < 1 || m > n || n != c.size() - 3 || n > 3) {
      return false;
    }
    for (int i = 1; i <= n; i++) {
      int len = c.get(i).dataLength();
      if (c.get(i).data() == null || (len != 33 && len != 65)) {
        return false;
      }
    }
    return true;
  }

  private static int smallInt(int op) {
    return op >= 0x51 && op <= 0x60 ? op - 0x50 : -1;
  }

  static boolean isPushOnly(Script s) {
    List<ScriptChunk> c = s.tryChunks().orElse(null);
    if (c == null) {
      return false;
    }
    for (ScriptChunk chunk : c) {
      if (chunk.opcode() > 0x60) {
        return false;
      }
    }
    return true;
  }
}
