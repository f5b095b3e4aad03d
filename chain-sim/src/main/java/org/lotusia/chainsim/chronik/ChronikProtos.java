package org.lotusia.chainsim.chronik;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import org.lotusia.chain.chronik.proto.BlockDetails;
import org.lotusia.chain.chronik.proto.BlockInfo;
import org.lotusia.chain.chronik.proto.BlockMetadata;
import org.lotusia.chain.chronik.proto.Network;
import org.lotusia.chain.chronik.proto.ScriptUtxos;
import org.lotusia.chain.chronik.proto.Tx;
import org.lotusia.chain.chronik.proto.TxInput;
import org.lotusia.chain.chronik.proto.TxOutput;
import org.lotusia.chain.chronik.proto.Utxo;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chainsim.ledger.Coin;
import org.lotusia.chainsim.ledger.Ledger;
import org.lotusia.chainsim.ledger.SimBlock;
import org.lotusia.chainsim.ledger.TxEntry;

/**
 * Ledger objects as Chronik's protobuf messages (the legacy Chronik schema of blockchain-utils'
 * {@code chronik.proto}). Hashes and txids go on the wire in internal (little-endian) order, as
 * Chronik sends them. Stateless.
 */
final class ChronikProtos {

  private ChronikProtos() {}

  static ByteString bytes(byte[] b) {
    return ByteString.copyFrom(b);
  }

  static org.lotusia.chain.chronik.proto.OutPoint outPoint(OutPoint p) {
    return org.lotusia.chain.chronik.proto.OutPoint.newBuilder()
        .setTxid(bytes(p.txid()))
        .setOutIdx((int) p.index())
        .build();
  }

  static BlockMetadata blockMetadata(SimBlock b) {
    return BlockMetadata.newBuilder()
        .setHeight(b.height())
        .setHash(bytes(b.hash()))
        .setTimestamp(b.timestamp())
        .build();
  }

  /** A transaction with its spent outputs, spenders and block. */
  static Tx tx(Ledger ledger, TxEntry e) {
    Transaction t = e.tx();
    Tx.Builder b =
        Tx.newBuilder()
            .setTxid(bytes(t.txidBytes()))
            .setVersion(t.version())
            .setLockTime((int) t.lockTime())
            .setTimeFirstSeen(e.timeFirstSeen())
            .setNetwork(Network.XPI)
            .setSize(t.size())
            .setIsCoinbase(e.coinbase());
    for (int i = 0; i < t.inputs().size(); i++) {
      org.lotusia.chain.tx.TxInput in = t.inputs().get(i);
      TxInput.Builder ib =
          TxInput.newBuilder()
              .setPrevOut(outPoint(in.prevout()))
              .setInputScript(bytes(in.scriptSig().bytes()))
              .setSequenceNo((int) in.sequence());
      if (!e.coinbase()) {
        org.lotusia.chain.tx.TxOutput spent = e.spentOutputs().get(i);
        ib.setOutputScript(bytes(spent.script().bytes())).setValue(spent.value());
      }
      b.addInputs(ib);
    }
    for (int k = 0; k < t.outputs().size(); k++) {
      org.lotusia.chain.tx.TxOutput o = t.outputs().get(k);
      TxOutput.Builder ob =
          TxOutput.newBuilder().setValue(o.value()).setOutputScript(bytes(o.script().bytes()));
      ledger.spender(new OutPoint(t.txidBytes(), k)).ifPresent(s -> ob.setSpentBy(outPoint(s)));
      b.addOutputs(ob);
    }
    if (!e.inMempool()) {
      ledger.block(e.blockHeight()).ifPresent(blk -> b.setBlock(blockMetadata(blk)));
    }
    return b.build();
  }

  static BlockInfo blockInfo(SimBlock blk, Ledger ledger) {
    long inputs = 0;
    long outputs = 0;
    long sumIn = 0;
    long sumNormal = 0;
    long burned = 0;
    for (int i = 0; i < blk.txs().size(); i++) {
      Transaction t = blk.txs().get(i);
      outputs += t.outputs().size();
      if (i == 0) {
        continue;
      }
      inputs += t.inputs().size();
      TxEntry e = ledger.tx(t.txid()).orElse(null);
      if (e != null) {
        sumIn += e.spentOutputs().stream().mapToLong(o -> o.value()).sum();
      }
      for (org.lotusia.chain.tx.TxOutput o : t.outputs()) {
        sumNormal += o.value();
        if (o.script().size() > 0 && (o.script().bytes()[0] & 0xff) == 0x6a) {
          burned += o.value();
        }
      }
    }
    return BlockInfo.newBuilder()
        .setHash(bytes(blk.hash()))
        .setPrevHash(bytes(blk.prevHash()))
        .setHeight(blk.height())
        .setNBits((int) SimBlock.N_BITS)
        .setTimestamp(blk.timestamp())
        .setBlockSize(blk.size())
        .setNumTxs(blk.txs().size())
        .setNumInputs(inputs + 1)
        .setNumOutputs(outputs)
        .setSumInputSats(sumIn)
        .setSumCoinbaseOutputSats(blk.txs().get(0).outputValue())
        .setSumNormalOutputSats(sumNormal)
        .setSumBurnedSats(burned)
        .build();
  }

  static org.lotusia.chain.chronik.proto.Block block(SimBlock blk, Ledger ledger) {
    org.lotusia.chain.chronik.proto.Block.Builder b =
        org.lotusia.chain.chronik.proto.Block.newBuilder()
            .setBlockInfo(blockInfo(blk, ledger))
            .setBlockDetails(
                BlockDetails.newBuilder()
                    .setVersion(1)
                    .setMerkleRoot(bytes(blk.merkleRoot()))
                    .setNonce(0)
                    .setMedianTimestamp(ledger.medianTimePast(blk.height())))
            .setRawHeader(bytes(blk.header()));
    for (Transaction t : blk.txs()) {
      ledger.tx(t.txid()).ifPresent(e -> b.addTxs(tx(ledger, e)));
    }
    return b.build();
  }

  static ScriptUtxos scriptUtxos(Script script, List<Map.Entry<OutPoint, Coin>> coins) {
    ScriptUtxos.Builder b = ScriptUtxos.newBuilder().setOutputScript(bytes(script.bytes()));
    for (Map.Entry<OutPoint, Coin> e : coins) {
      Coin c = e.getValue();
      b.addUtxos(
          Utxo.newBuilder()
              .setOutpoint(outPoint(e.getKey()))
              .setBlockHeight(c.height())
              .setIsCoinbase(c.coinbase())
              .setValue(c.output().value())
              .setNetwork(Network.XPI));
    }
    return b.build();
  }
}
