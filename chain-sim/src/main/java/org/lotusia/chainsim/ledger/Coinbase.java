package org.lotusia.chainsim.ledger;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptBuilder;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

/**
 * Coinbase transactions as lotusd's miner builds them ({@code src/miner.cpp}): one input spending
 * the null outpoint with script {@code OP_0 OP_0} (padded to the 100-byte minimum transaction
 * size), a zero-value {@code OP_RETURN "logos" <height>} output that makes every coinbase txid
 * unique (Lotus txids omit input scripts), and the reward output. Stateless.
 */
final class Coinbase {

  private static final byte[] PREFIX = "logos".getBytes(StandardCharsets.US_ASCII);

  private Coinbase() {}

  static Transaction create(int height, Script payTo, long reward) {
    Script marker =
        new ScriptBuilder().op(0x6a).data(PREFIX).data(heightBytes(height)).build();
    List<TxOutput> outs = List.of(new TxOutput(0, marker), new TxOutput(reward, payTo));
    Script sig = new ScriptBuilder().op(0).op(0).build();
    TxInput in = new TxInput(new OutPoint(new byte[32], 0xffffffffL), sig, 0xffffffffL);
    Transaction tx = new Transaction(2, List.of(in), outs, 0);
    int size = tx.size();
    if (size < Standardness.MIN_TX_SIZE) {
      byte[] pad = new byte[Standardness.MIN_TX_SIZE - size - 1];
      sig = new ScriptBuilder().op(0).op(0).data(pad).build();
      tx = new Transaction(2, List.of(in.withScript(sig)), outs, 0);
    }
    return tx;
  }

  /** The height as a minimally encoded script number (always a data push, never OP_n). */
  private static byte[] heightBytes(int height) {
    if (height == 0) {
      return new byte[] {0};
    }
    byte[] b = new byte[5];
    int n = 0;
    long v = height;
    while (v != 0) {
      b[n++] = (byte) (v & 0xff);
      v >>>= 8;
    }
    if ((b[n - 1] & 0x80) != 0) {
      b[n++] = 0;
    }
    return java.util.Arrays.copyOf(b, n);
  }
}
