package org.lotusia.chainsim.chronik;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lotusia.chain.chronik.proto.BlockchainInfo;
import org.lotusia.chain.chronik.proto.Blocks;
import org.lotusia.chain.chronik.proto.BroadcastTxRequest;
import org.lotusia.chain.chronik.proto.BroadcastTxResponse;
import org.lotusia.chain.chronik.proto.BroadcastTxsRequest;
import org.lotusia.chain.chronik.proto.BroadcastTxsResponse;
import org.lotusia.chain.chronik.proto.RawTx;
import org.lotusia.chain.chronik.proto.TxHistoryPage;
import org.lotusia.chain.chronik.proto.UtxoState;
import org.lotusia.chain.chronik.proto.UtxoStateVariant;
import org.lotusia.chain.chronik.proto.Utxos;
import org.lotusia.chain.chronik.proto.ValidateUtxoRequest;
import org.lotusia.chain.chronik.proto.ValidateUtxoResponse;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chainsim.ledger.Coin;
import org.lotusia.chainsim.ledger.Ledger;
import org.lotusia.chainsim.ledger.SimBlock;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.chainsim.ledger.TxRejectedException;

/**
 * The HTTP endpoints of the legacy Chronik API that blockchain-utils' {@code ChronikClient} uses,
 * answering from a {@link Ledger}: protobuf bodies ({@code application/x-protobuf}), and on error a
 * non-200 status with a Chronik {@code Error} body (see {@link ChronikError}). A refused broadcast
 * is 400 {@code broadcast-failed} with lotusd's reject reason in the message.
 *
 * <p>Handlers run on the server's request threads; they are stateless apart from the ledger,
 * which is thread-safe.
 */
final class ChronikHttpApi {

  static final String PROTOBUF = "application/x-protobuf";

  private final Ledger ledger;
  private final ChronikServerConfig config;

  ChronikHttpApi(Ledger ledger, ChronikServerConfig config) {
    this.ledger = ledger;
    this.config = config;
  }

  void blockchainInfo(Context ctx) {
    SimBlock tip = ledger.tip();
    reply(
        ctx,
        BlockchainInfo.newBuilder()
            .setTipHash(ChronikProtos.bytes(tip.hash()))
            .setTipHeight(tip.height())
            .build());
  }

  void tx(Context ctx) {
    String txid = ScriptPaths.hash("txid", ctx.pathParam("txid"));
    reply(ctx, ChronikProtos.tx(ledger, findTx(txid)));
  }

  void rawTx(Context ctx) {
    String txid = ScriptPaths.hash("txid", ctx.pathParam("txid"));
    reply(
        ctx,
        RawTx.newBuilder().setRawTx(ByteString.copyFrom(findTx(txid).tx().serialize())).build());
  }

  private TxEntry findTx(String txid) {
    return ledger
        .tx(txid)
        .orElseThrow(
            () ->
                ChronikError.notFound(
                    "tx-not-found", "Transaction " + txid + " not found in the index"));
  }

  void block(Context ctx) {
    String key = ctx.pathParam("hashOrHeight");
    Optional<SimBlock> b;
    if (key.length() == 64) {
      b = ledger.block(ScriptPaths.hash("block hash", key));
    } else {
      b = ledger.block(parseHeight(key));
    }
    SimBlock blk =
        b.orElseThrow(
            () -> ChronikError.notFound("block-not-found", "Block not found: " + ScriptPaths.clip(key)));
    reply(ctx, ChronikProtos.block(blk, ledger));
  }

  void blocks(Context ctx) {
    int start = parseHeight(ctx.pathParam("start"));
    int end = parseHeight(ctx.pathParam("end"));
    if (end < start) {
      throw ChronikError.badRequest(
          "invalid-block-range", "Invalid block range: end " + end + " is below start " + start);
    }
    if ((long) end - start + 1 > config.maxBlocksRange()) {
      throw ChronikError.badRequest(
          "blocks-range-too-large",
          "Blocks range too large: "
              + ((long) end - start + 1)
              + " blocks, at most "
              + config.maxBlocksRange());
    }
    Blocks.Builder out = Blocks.newBuilder();
    for (int h = start; h <= end; h++) {
      Optional<SimBlock> b = ledger.block(h);
      if (b.isEmpty()) {
        break;
      }
      out.addBlocks(ChronikProtos.blockInfo(b.get(), ledger));
    }
    reply(ctx, out.build());
  }

  void utxos(Context ctx) {
    Script script = pathScript(ctx);
    List<java.util.Map.Entry<OutPoint, Coin>> coins = ledger.unspentFor(script);
    Utxos.Builder out = Utxos.newBuilder();
    if (!coins.isEmpty()) {
      out.addScriptUtxos(ChronikProtos.scriptUtxos(script, coins));
    }
    reply(ctx, out.build());
  }

  void history(Context ctx) {
    Script script = pathScript(ctx);
    int page = queryInt(ctx, "page", 0);
    int pageSize = queryInt(ctx, "page_size", 25);
    if (page < 0 || pageSize < 1 || pageSize > config.maxPageSize()) {
      throw ChronikError.badRequest(
          "invalid-page",
          "Invalid page "
              + page
              + " or page_size "
              + pageSize
              + " (page >= 0, page_size 1.."
              + config.maxPageSize()
              + ")");
    }
    List<TxEntry> all = ledger.history(script);
    int pages = (all.size() + pageSize - 1) / pageSize;
    TxHistoryPage.Builder out = TxHistoryPage.newBuilder().setNumPages(pages);
    long from = (long) page * pageSize;
    for (long i = from; i < Math.min(all.size(), from + pageSize); i++) {
      out.addTxs(ChronikProtos.tx(ledger, all.get((int) i)));
    }
    reply(ctx, out.build());
  }

  void validateUtxos(Context ctx) {
    ValidateUtxoRequest req = parse(ctx, "ValidateUtxoRequest", ValidateUtxoRequest.parser());
    if (req.getOutpointsCount() > config.maxValidateUtxos()) {
      throw ChronikError.badRequest(
          "too-many-outpoints",
          "Too many outpoints: " + req.getOutpointsCount() + ", at most " + config.maxValidateUtxos());
    }
    ValidateUtxoResponse.Builder out = ValidateUtxoResponse.newBuilder();
    for (org.lotusia.chain.chronik.proto.OutPoint p : req.getOutpointsList()) {
      if (p.getTxid().size() != 32) {
        throw ChronikError.badRequest(
            "invalid-outpoint", "Invalid outpoint txid of " + p.getTxid().size() + " bytes");
      }
      OutPoint op = new OutPoint(p.getTxid().toByteArray(), Integer.toUnsignedLong(p.getOutIdx()));
      out.addUtxoStates(utxoState(op));
    }
    reply(ctx, out.build());
  }

  private UtxoState utxoState(OutPoint op) {
    Optional<TxEntry> e = ledger.tx(op.txidHex());
    if (e.isEmpty()) {
      return UtxoState.newBuilder().setHeight(-1).setState(UtxoStateVariant.NO_SUCH_TX).build();
    }
    int height = e.get().blockHeight();
    UtxoState.Builder s = UtxoState.newBuilder().setHeight(height).setIsConfirmed(height >= 0);
    if (op.index() >= e.get().tx().outputs().size()) {
      return s.setState(UtxoStateVariant.NO_SUCH_OUTPUT).build();
    }
    boolean unspent =
        ledger.spender(op).isEmpty()
            && (height < 0 ? ledger.spendableCoin(op).isPresent() : ledger.confirmedCoin(op).isPresent());
    return s.setState(unspent ? UtxoStateVariant.UNSPENT : UtxoStateVariant.SPENT).build();
  }

  void broadcastTx(Context ctx) {
    BroadcastTxRequest req = parse(ctx, "BroadcastTxRequest", BroadcastTxRequest.parser());
    TxEntry e = submit(req.getRawTx().toByteArray());
    reply(
        ctx,
        BroadcastTxResponse.newBuilder().setTxid(ChronikProtos.bytes(e.tx().txidBytes())).build());
  }

  void broadcastTxs(Context ctx) {
    BroadcastTxsRequest req = parse(ctx, "BroadcastTxsRequest", BroadcastTxsRequest.parser());
    if (req.getRawTxsCount() > config.maxBroadcastTxs()) {
      throw ChronikError.badRequest(
          "too-many-txs",
          "Too many transactions: " + req.getRawTxsCount() + ", at most " + config.maxBroadcastTxs());
    }
    // parse all first so a malformed one refuses the whole request before any is broadcast
    List<Transaction> txs = new ArrayList<>();
    for (ByteString raw : req.getRawTxsList()) {
      txs.add(parseTx(raw.toByteArray()));
    }
    BroadcastTxsResponse.Builder out = BroadcastTxsResponse.newBuilder();
    for (Transaction tx : txs) {
      out.addTxids(ChronikProtos.bytes(submit(tx).tx().txidBytes()));
    }
    reply(ctx, out.build());
  }

  private TxEntry submit(byte[] raw) {
    return submit(parseTx(raw));
  }

  private TxEntry submit(Transaction tx) {
    try {
      return ledger.submit(tx);
    } catch (TxRejectedException e) {
      throw ChronikError.badRequest("broadcast-failed", "Broadcast failed: " + e.getMessage());
    }
  }

  private static Transaction parseTx(byte[] raw) {
    try {
      return Transaction.parse(raw);
    } catch (IllegalArgumentException e) {
      throw ChronikError.badRequest("parsing-failed", "Parsing tx failed: " + e.getMessage());
    }
  }

  private Script pathScript(Context ctx) {
    String type = ctx.pathParam("type");
    return ScriptPaths.script(type, ScriptPaths.hex("payload", ctx.pathParam("payload")));
  }

  private static int parseHeight(String s) {
    try {
      int h = Integer.parseInt(s);
      if (h < 0) {
        throw new NumberFormatException("negative");
      }
      return h;
    } catch (NumberFormatException e) {
      throw ChronikError.badRequest(
          "invalid-height", "Invalid block height: '" + ScriptPaths.clip(s) + "'");
    }
  }

  private static int queryInt(Context ctx, String name, int dflt) {
    String v = ctx.queryParam(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw ChronikError.badRequest(
          "invalid-query", "Invalid " + name + ": '" + ScriptPaths.clip(v) + "'");
    }
  }

  /** Reads the body up to the limit and parses it; 413 above the limit, 400 if malformed. */
  private <T> T parse(Context ctx, String what, com.google.protobuf.Parser<T> parser) {
    byte[] body = readBody(ctx, config.maxRequestBytes());
    try {
      return parser.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw ChronikError.badRequest(
          "invalid-protobuf", "Invalid " + what + " (" + body.length + " bytes): " + e.getMessage());
    }
  }

  static byte[] readBody(Context ctx, int max) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > max) {
      throw tooLarge(declared, max);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] b = in.readNBytes(max + 1);
      if (b.length > max) {
        throw tooLarge(-1, max);
      }
      return b;
    } catch (IOException e) {
      throw ChronikError.badRequest("invalid-body", "Could not read the request body: " + e.getMessage());
    }
  }

  private static ChronikError tooLarge(long got, int max) {
    return new ChronikError(
        413,
        "payload-too-large",
        "Request body " + (got >= 0 ? "of " + got + " bytes " : "") + "exceeds the limit of " + max + " bytes",
        true);
  }

  static void reply(Context ctx, MessageLite msg) {
    ctx.status(200).contentType(PROTOBUF).result(msg.toByteArray());
  }
}
