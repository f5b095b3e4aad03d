package org.lotusia.chain.chronik;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.lotusia.chain.chronik.proto.SubscribeMsg;

/**
 * Converts generated protobuf messages of the Chronik schema into the public records, checking what
 * the schema cannot: hash lengths and unsigned ranges. Stateless and thread-safe.
 */
final class ProtoConverter {

  private static final HexFormat HEX = HexFormat.of();

  private ProtoConverter() {}

  /** A protobuf parse function that may throw the protobuf parser's checked exception. */
  @FunctionalInterface
  interface Parser<T> {
    T parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  static <T> T parse(String what, byte[] body, Parser<T> parser) {
    try {
      return parser.parse(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ChronikProtocolException(
          "malformed " + what + " message (" + body.length + " bytes): " + e.getMessage(), e);
    }
  }

  static String hash(String field, ByteString bytes) {
    if (bytes.size() != ReversedHex.HASH_LENGTH) {
      throw new ChronikProtocolException(field + " must be 32 bytes, got " + bytes.size(), null);
    }
    return ReversedHex.toDisplayHex(bytes.toByteArray());
  }

  static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  static BlockchainInfo blockchainInfo(org.lotusia.chain.chronik.proto.BlockchainInfo p) {
    return new BlockchainInfo(hash("BlockchainInfo.tip_hash", p.getTipHash()), p.getTipHeight());
  }

  static ChronikOutPoint outPoint(String field, org.lotusia.chain.chronik.proto.OutPoint p) {
    int idx = p.getOutIdx();
    if (idx < 0) {
      throw new ChronikProtocolException(
          field + ".out_idx out of range: " + Integer.toUnsignedString(idx), null);
    }
    return new ChronikOutPoint(hash(field + ".txid", p.getTxid()), idx);
  }

  static ChronikNetwork network(org.lotusia.chain.chronik.proto.Network n) {
    return switch (n) {
      case BCH -> ChronikNetwork.BCH;
      case XEC -> ChronikNetwork.XEC;
      case XPI -> ChronikNetwork.XPI;
      case XRG -> ChronikNetwork.XRG;
      default -> ChronikNetwork.UNKNOWN;
    };
  }

  static Tx tx(org.lotusia.chain.chronik.proto.Tx p) {
    List<ChronikTxInput> inputs = new ArrayList<>(p.getInputsCount());
    for (org.lotusia.chain.chronik.proto.TxInput in : p.getInputsList()) {
      ChronikOutPoint prev = null;
      if (in.hasPrevOut() && !isNullOutPoint(in.getPrevOut())) {
        prev = outPoint("TxInput.prev_out", in.getPrevOut());
      }
      inputs.add(
          new ChronikTxInput(
              prev,
              hex(in.getInputScript()),
              hex(in.getOutputScript()),
              in.getValue(),
              Integer.toUnsignedLong(in.getSequenceNo())));
    }
    List<ChronikTxOutput> outputs = new ArrayList<>(p.getOutputsCount());
    for (org.lotusia.chain.chronik.proto.TxOutput out : p.getOutputsList()) {
      ChronikOutPoint spentBy = out.hasSpentBy() ? outPoint("TxOutput.spent_by", out.getSpentBy()) : null;
      outputs.add(new ChronikTxOutput(out.getValue(), hex(out.getOutputScript()), spentBy));
    }
    BlockMetadata block = null;
    if (p.hasBlock()) {
      var b = p.getBlock();
      block =
          new BlockMetadata(
              b.getHeight(), hash("BlockMetadata.hash", b.getHash()), b.getTimestamp());
    }
    return new Tx(
        hash("Tx.txid", p.getTxid()),
        p.getVersion(),
        inputs,
        outputs,
        Integer.toUnsignedLong(p.getLockTime()),
        block,
        p.getTimeFirstSeen(),
        p.getSize(),
        p.getIsCoinbase(),
        network(p.getNetwork()));
  }

  /** A coinbase input spends the null outpoint (all-zero txid); Chronik may send it empty. */
  private static boolean isNullOutPoint(org.lotusia.chain.chronik.proto.OutPoint p) {
    ByteString txid = p.getTxid();
    if (txid.isEmpty()) {
      return true;
    }
    for (int i = 0; i < txid.size(); i++) {
      if (txid.byteAt(i) != 0) {
        return false;
      }
    }
    return true;
  }

  static Utxo utxo(org.lotusia.chain.chronik.proto.Utxo p) {
    return new Utxo(
        outPoint("Utxo.outpoint", p.getOutpoint()),
        p.getBlockHeight(),
        p.getIsCoinbase(),
        p.getValue(),
        network(p.getNetwork()));
  }

  static List<ScriptUtxos> utxos(org.lotusia.chain.chronik.proto.Utxos p) {
    List<ScriptUtxos> result = new ArrayList<>(p.getScriptUtxosCount());
    for (var su : p.getScriptUtxosList()) {
      List<Utxo> list = new ArrayList<>(su.getUtxosCount());
      for (var u : su.getUtxosList()) {
        list.add(utxo(u));
      }
      result.add(new ScriptUtxos(hex(su.getOutputScript()), list));
    }
    return result;
  }

  static TxHistoryPage history(org.lotusia.chain.chronik.proto.TxHistoryPage p) {
    List<Tx> txs = new ArrayList<>(p.getTxsCount());
    for (var t : p.getTxsList()) {
      txs.add(tx(t));
    }
    if (p.getNumPages() < 0) {
      throw new ChronikProtocolException("TxHistoryPage.num_pages out of range", null);
    }
    return new TxHistoryPage(txs, p.getNumPages());
  }

  static UtxoState utxoState(org.lotusia.chain.chronik.proto.UtxoState p) {
    UtxoState.Variant v =
        switch (p.getState()) {
          case UNSPENT -> UtxoState.Variant.UNSPENT;
          case SPENT -> UtxoState.Variant.SPENT;
          case NO_SUCH_TX -> UtxoState.Variant.NO_SUCH_TX;
          case NO_SUCH_OUTPUT -> UtxoState.Variant.NO_SUCH_OUTPUT;
          default -> UtxoState.Variant.UNKNOWN;
        };
    return new UtxoState(p.getHeight(), p.getIsConfirmed(), v);
  }

  static BlockInfo blockInfo(org.lotusia.chain.chronik.proto.BlockInfo p) {
    return new BlockInfo(
        hash("BlockInfo.hash", p.getHash()),
        hash("BlockInfo.prev_hash", p.getPrevHash()),
        p.getHeight(),
        Integer.toUnsignedLong(p.getNBits()),
        p.getTimestamp(),
        p.getBlockSize(),
        p.getNumTxs(),
        p.getNumInputs(),
        p.getNumOutputs(),
        p.getSumInputSats(),
        p.getSumCoinbaseOutputSats(),
        p.getSumNormalOutputSats(),
        p.getSumBurnedSats());
  }

  static Block block(org.lotusia.chain.chronik.proto.Block p) {
    if (!p.hasBlockInfo()) {
      throw new ChronikProtocolException("Block.block_info missing", null);
    }
    BlockDetails details = null;
    if (p.hasBlockDetails()) {
      var d = p.getBlockDetails();
      details =
          new BlockDetails(
              d.getVersion(),
              hash("BlockDetails.merkle_root", d.getMerkleRoot()),
              d.getNonce(),
              d.getMedianTimestamp());
    }
    List<Tx> txs = new ArrayList<>(p.getTxsCount());
    for (var t : p.getTxsList()) {
      txs.add(tx(t));
    }
    return new Block(blockInfo(p.getBlockInfo()), details, hex(p.getRawHeader()), txs);
  }

  static ChronikEvent event(SubscribeMsg m) {
    return switch (m.getMsgTypeCase()) {
      case ERROR ->
          new ChronikEvent.Error(
              m.getError().getErrorCode(), m.getError().getMsg(), m.getError().getIsUserError());
      case ADDED_TO_MEMPOOL ->
          new ChronikEvent.AddedToMempool(
              hash("MsgAddedToMempool.txid", m.getAddedToMempool().getTxid()));
      case REMOVED_FROM_MEMPOOL ->
          new ChronikEvent.RemovedFromMempool(
              hash("MsgRemovedFromMempool.txid", m.getRemovedFromMempool().getTxid()));
      case CONFIRMED ->
          new ChronikEvent.Confirmed(hash("MsgConfirmed.txid", m.getConfirmed().getTxid()));
      case REORG -> new ChronikEvent.Reorg(hash("MsgReorg.txid", m.getReorg().getTxid()));
      case BLOCK_CONNECTED ->
          new ChronikEvent.BlockConnected(
              hash("MsgBlockConnected.block_hash", m.getBlockConnected().getBlockHash()));
      case BLOCK_DISCONNECTED ->
          new ChronikEvent.BlockDisconnected(
              hash("MsgBlockDisconnected.block_hash", m.getBlockDisconnected().getBlockHash()));
      case MSGTYPE_NOT_SET ->
          throw new ChronikProtocolException("SubscribeMsg without a message type", null);
    };
  }
}
