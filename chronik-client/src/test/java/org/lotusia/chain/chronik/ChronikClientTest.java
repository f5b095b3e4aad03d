package org.lotusia.chain.chronik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.chain.chronik.ChronikFixtures.HEX;
import static org.lotusia.chain.chronik.ChronikFixtures.base;
import static org.lotusia.chain.chronik.ChronikFixtures.error;
import static org.lotusia.chain.chronik.ChronikFixtures.fastConfig;
import static org.lotusia.chain.chronik.ChronikFixtures.ok;
import static org.lotusia.chain.chronik.ChronikFixtures.tip;
import static org.lotusia.chain.chronik.ChronikFixtures.tx;
import static org.lotusia.chain.chronik.ChronikFixtures.wire;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.proto.BroadcastTxRequest;
import org.lotusia.chain.chronik.proto.BroadcastTxResponse;
import org.lotusia.chain.chronik.proto.Utxos;

class ChronikClientTest {

  static final String TXID = "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504";
  static final String P2PKH = "76a914fc7250a211deddc70ee5a2738de5f07817351cef88ac";

  MockWebServer server;
  ChronikClient client;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    client = ChronikClient.builder().config(fastConfig(base(server)).build()).build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.shutdown();
  }

  static Throwable cause(java.util.concurrent.CompletableFuture<?> f) {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("expected failure");
    } catch (ExecutionException e) {
      return ChronikClient.unwrap(e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void txIsDecodedAndTxidReversed() throws Exception {
    server.enqueue(ok(tx(TXID, 100, 1000, P2PKH)));
    Tx t = client.tx(TXID).get(10, TimeUnit.SECONDS);
    assertThat(t.txid()).isEqualTo(TXID);
    assertThat(t.block().height()).isEqualTo(100);
    assertThat(t.block().hash()).isEqualTo("00".repeat(31) + "aa");
    assertThat(t.outputs())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.value()).isEqualTo(1000);
              assertThat(o.outputScript()).isEqualTo(P2PKH);
            });
    assertThat(t.network()).isEqualTo(ChronikNetwork.XPI);
    RecordedRequest req = server.takeRequest();
    assertThat(req.getMethod()).isEqualTo("GET");
    assertThat(req.getPath()).isEqualTo("/tx/" + TXID);
  }

  @Test
  void wireTxidIsLittleEndian() {
    byte[] wire = ReversedHex.toWireBytes(TXID);
    assertThat(HEX.formatHex(wire))
        .isEqualTo("04f557e1288cde58a07dc5f07039e7b5bb88877b454445640b98d7670ceef92c");
    assertThat(ReversedHex.toDisplayHex(wire)).isEqualTo(TXID);
    assertThatThrownBy(() -> client.tx("not-a-valid-tx-id"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void notFoundErrorBodyIsDecodedWithoutFailover() throws Exception {
    MockWebServer second = new MockWebServer();
    second.start();
    try (ChronikClient two =
        ChronikClient.builder().config(fastConfig(base(server), base(second)).build()).build()) {
      server.enqueue(error(404, "tx-not-found", "Transaction not found in the index", true));
      Throwable t = cause(two.tx("00".repeat(32)));
      assertThat(t)
          .isInstanceOfSatisfying(
              ChronikErrorException.class,
              e -> {
                assertThat(e.httpStatus()).isEqualTo(404);
                assertThat(e.errorCode()).isEqualTo("tx-not-found");
                assertThat(e.errorMessage()).isEqualTo("Transaction not found in the index");
                assertThat(e.isUserError()).isTrue();
                assertThat(e.isNotFound()).isTrue();
              });
      assertThat(server.getRequestCount()).isEqualTo(1);
      assertThat(second.getRequestCount()).isZero();
    } finally {
      second.shutdown();
    }
  }

  @Test
  void serverErrorIsRetriedWithBackoff() throws Exception {
    server.enqueue(error(503, "busy", "try later", false));
    server.enqueue(ok(tip(1234)));
    BlockchainInfo info = client.blockchainInfo().get(10, TimeUnit.SECONDS);
    assertThat(info.tipHeight()).isEqualTo(1234);
    assertThat(info.tipHash()).isEqualTo("00".repeat(31) + "bb");
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void persistentServerErrorGivesUpAfterMaxRetries() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(error(500, "internal", "boom " + i, false));
    }
    Throwable t = cause(client.blockchainInfo());
    assertThat(t)
        .isInstanceOfSatisfying(
            ChronikErrorException.class,
            e -> {
              assertThat(e.httpStatus()).isEqualTo(500);
              assertThat(e.errorMessage()).isEqualTo("boom 2");
            });
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void slowResponseHitsTimeout() throws Exception {
    client.close();
    client =
        ChronikClient.builder()
            .config(
                fastConfig(base(server))
                    .readTimeout(java.time.Duration.ofMillis(200))
                    .maxRetries(1)
                    .build())
            .build();
    for (int i = 0; i < 2; i++) {
      server.enqueue(ok(tip(1)).setHeadersDelay(3, TimeUnit.SECONDS));
    }
    long start = System.nanoTime();
    Throwable t = cause(client.blockchainInfo());
    assertThat(t)
        .isInstanceOf(ChronikUnavailableException.class)
        .hasCauseInstanceOf(java.io.InterruptedIOException.class);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500); // two 200 ms timeouts, not the 3 s replies
  }

  @Test
  void malformedProtobufIsAProtocolError() {
    server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[] {0x0a, 0x7f, 0x01})));
    assertThat(cause(client.tx(TXID)))
        .isInstanceOf(ChronikProtocolException.class)
        .hasMessageContaining("malformed Tx");
  }

  @Test
  void wrongHashLengthIsAProtocolError() {
    server.enqueue(
        ok(
            org.lotusia.chain.chronik.proto.BlockchainInfo.newBuilder()
                .setTipHash(ByteString.copyFrom(new byte[5]))
                .setTipHeight(3)
                .build()));
    assertThat(cause(client.blockchainInfo()))
        .isInstanceOf(ChronikProtocolException.class)
        .hasMessageContaining("32 bytes");
  }

  @Test
  void oversizedBodyIsRejected() throws Exception {
    client.close();
    client =
        ChronikClient.builder()
            .config(fastConfig(base(server)).maxResponseBytes(64).build())
            .build();
    server.enqueue(new MockResponse().setBody(new Buffer().write(new byte[65])));
    assertThat(cause(client.blockchainInfo()))
        .isInstanceOf(ChronikProtocolException.class)
        .hasMessageContaining("limit of 64");
    // chunked body without a length announcement is counted while reading
    server.enqueue(new MockResponse().setChunkedBody(new Buffer().write(new byte[200]), 16));
    assertThat(cause(client.blockchainInfo()))
        .isInstanceOf(ChronikProtocolException.class)
        .hasMessageContaining("limit of 64");
  }

  @Test
  void failsOverFromDeadUrlAndRemembersTheLiveOne() throws Exception {
    MockWebServer dead = new MockWebServer();
    dead.start();
    String deadUrl = base(dead);
    dead.shutdown();
    try (ChronikClient two =
        ChronikClient.builder().config(fastConfig(deadUrl, base(server)).build()).build()) {
      server.enqueue(ok(tip(7)));
      server.enqueue(ok(tip(8)));
      assertThat(two.blockchainInfo().get(10, TimeUnit.SECONDS).tipHeight()).isEqualTo(7);
      assertThat(two.blockchainInfo().get(10, TimeUnit.SECONDS).tipHeight()).isEqualTo(8);
      assertThat(server.getRequestCount()).isEqualTo(2);
    }
  }

  @Test
  void allUrlsDeadGivesUnavailable() throws Exception {
    MockWebServer dead = new MockWebServer();
    dead.start();
    String deadUrl = base(dead);
    dead.shutdown();
    try (ChronikClient c = ChronikClient.builder().config(fastConfig(deadUrl).build()).build()) {
      assertThat(cause(c.blockchainInfo()))
          .isInstanceOf(ChronikUnavailableException.class)
          .hasMessageContaining("Error connecting to known Chronik instances")
          .hasCauseInstanceOf(java.net.ConnectException.class);
    }
  }

  @Test
  void broadcastSendsProtobufAndReversesTxid() throws Exception {
    byte[] raw = HEX.parseHex("0200000000000000000000");
    server.enqueue(ok(BroadcastTxResponse.newBuilder().setTxid(wire(TXID)).build()));
    assertThat(client.broadcastTx(raw).get(10, TimeUnit.SECONDS)).isEqualTo(TXID);
    RecordedRequest req = server.takeRequest();
    assertThat(req.getPath()).isEqualTo("/broadcast-tx");
    assertThat(req.getHeader("Content-Type")).startsWith("application/x-protobuf");
    BroadcastTxRequest sent = BroadcastTxRequest.parseFrom(req.getBody().readByteArray());
    assertThat(sent.getRawTx().toByteArray()).isEqualTo(raw);
    assertThat(sent.getSkipSlpCheck()).isFalse();
  }

  @Test
  void broadcastRejectionCarriesNodeReason() {
    server.enqueue(
        error(400, "broadcast-failed", "Transaction rejected by mempool: bad-txns", true));
    assertThat(cause(client.broadcastTx(new byte[] {1, 2})))
        .isInstanceOfSatisfying(
            ChronikErrorException.class, e -> assertThat(e.errorMessage()).contains("bad-txns"));
    assertThatThrownBy(() -> client.broadcastTx(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void broadcastManyReturnsTxidsInOrder() throws Exception {
    String other = "ab".repeat(32);
    server.enqueue(
        ok(
            org.lotusia.chain.chronik.proto.BroadcastTxsResponse.newBuilder()
                .addTxids(wire(TXID))
                .addTxids(wire(other))
                .build()));
    assertThat(
            client
                .broadcastTxs(List.of(new byte[] {1}, new byte[] {2}), false)
                .get(10, TimeUnit.SECONDS))
        .containsExactly(TXID, other);
    var sent =
        org.lotusia.chain.chronik.proto.BroadcastTxsRequest.parseFrom(
            server.takeRequest().getBody().readByteArray());
    assertThat(sent.getRawTxsCount()).isEqualTo(2);
  }

  @Test
  void scriptUtxosUsesTypeAndPayloadInPath() throws Exception {
    String hash = "fc7250a211deddc70ee5a2738de5f07817351cef";
    server.enqueue(
        ok(
            Utxos.newBuilder()
                .addScriptUtxos(
                    org.lotusia.chain.chronik.proto.ScriptUtxos.newBuilder()
                        .setOutputScript(ByteString.copyFrom(HEX.parseHex(P2PKH)))
                        .addUtxos(
                            org.lotusia.chain.chronik.proto.Utxo.newBuilder()
                                .setOutpoint(
                                    org.lotusia.chain.chronik.proto.OutPoint.newBuilder()
                                        .setTxid(wire(TXID))
                                        .setOutIdx(2))
                                .setBlockHeight(-1)
                                .setValue(5000)))
                .build()));
    List<ScriptUtxos> res =
        client.scriptUtxos(ChronikScriptType.P2PKH, HEX.parseHex(hash)).get(10, TimeUnit.SECONDS);
    assertThat(res)
        .singleElement()
        .satisfies(
            su -> {
              assertThat(su.outputScript()).isEqualTo(P2PKH);
              assertThat(su.utxos())
                  .containsExactly(
                      // network field left unset: proto3 default 0 is BCH
                      new Utxo(new ChronikOutPoint(TXID, 2), -1, false, 5000, ChronikNetwork.BCH));
            });
    assertThat(server.takeRequest().getPath()).isEqualTo("/script/p2pkh/" + hash + "/utxos");
    assertThatThrownBy(() -> client.scriptUtxos(ChronikScriptType.P2PKH, HEX.parseHex(P2PKH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("25 bytes");
  }

  @Test
  void historyValidateBlockAndBlocks() throws Exception {
    server.enqueue(
        ok(
            org.lotusia.chain.chronik.proto.TxHistoryPage.newBuilder()
                .addTxs(tx(TXID, -1, 1, P2PKH))
                .setNumPages(3)
                .build()));
    TxHistoryPage page =
        client
            .scriptHistory(ChronikScriptType.P2TR_COMMITMENT, new byte[33], 1, 25)
            .get(10, TimeUnit.SECONDS);
    assertThat(page.numPages()).isEqualTo(3);
    assertThat(page.txs().get(0).isMined()).isFalse();
    assertThat(server.takeRequest().getPath())
        .isEqualTo("/script/p2tr-commitment/" + "00".repeat(33) + "/history?page=1&page_size=25");

    server.enqueue(
        ok(
            org.lotusia.chain.chronik.proto.ValidateUtxoResponse.newBuilder()
                .addUtxoStates(
                    org.lotusia.chain.chronik.proto.UtxoState.newBuilder()
                        .setHeight(10)
                        .setIsConfirmed(true)
                        .setState(org.lotusia.chain.chronik.proto.UtxoStateVariant.SPENT))
                .build()));
    assertThat(client.validateUtxos(List.of(new ChronikOutPoint(TXID, 0))).get(10, TimeUnit.SECONDS))
        .containsExactly(new UtxoState(10, true, UtxoState.Variant.SPENT));
    var vreq =
        org.lotusia.chain.chronik.proto.ValidateUtxoRequest.parseFrom(
            server.takeRequest().getBody().readByteArray());
    assertThat(vreq.getOutpoints(0).getTxid()).isEqualTo(wire(TXID));

    var info =
        org.lotusia.chain.chronik.proto.BlockInfo.newBuilder()
            .setHash(wire("11".repeat(32)))
            .setPrevHash(wire("22".repeat(32)))
            .setHeight(5)
            .setNumTxs(1)
            .build();
    server.enqueue(
        ok(
            org.lotusia.chain.chronik.proto.Block.newBuilder()
                .setBlockInfo(info)
                .addTxs(tx(TXID, 5, 1, P2PKH))
                .build()));
    Block b = client.block(5).get(10, TimeUnit.SECONDS);
    assertThat(b.blockInfo().hash()).isEqualTo("11".repeat(32));
    assertThat(b.txs()).hasSize(1);
    assertThat(server.takeRequest().getPath()).isEqualTo("/block/5");

    server.enqueue(ok(org.lotusia.chain.chronik.proto.Blocks.newBuilder().addBlocks(info).build()));
    assertThat(client.blocks(5, 6).get(10, TimeUnit.SECONDS))
        .extracting(BlockInfo::height)
        .containsExactly(5);
    assertThat(server.takeRequest().getPath()).isEqualTo("/blocks/5/6");
  }

  @Test
  void txAndTipUseTheSameServer() throws Exception {
    MockWebServer second = new MockWebServer();
    second.start();
    try (ChronikClient two =
        ChronikClient.builder().config(fastConfig(base(server), base(second)).build()).build()) {
      server.enqueue(ok(tx(TXID, 100, 1, P2PKH)));
      server.enqueue(ok(tip(90)));
      second.enqueue(ok(tip(500)));
      TxAndTip tt = two.txAndTip(TXID).get(10, TimeUnit.SECONDS);
      assertThat(tt.tip().tipHeight()).isEqualTo(90);
      assertThat(tt.confirmations()).isZero();
      assertThat(second.getRequestCount()).isZero();
    } finally {
      second.shutdown();
    }
  }

  @Test
  void txAndTipMovesToAnotherServerWhenTheFirstDiesInBetween() throws Exception {
    MockWebServer second = new MockWebServer();
    second.start();
    try (ChronikClient two =
        ChronikClient.builder()
            .config(fastConfig(base(server), base(second)).maxRetries(1).build())
            .build()) {
      server.enqueue(ok(tx(TXID, 100, 1, P2PKH)));
      for (int i = 0; i < 2; i++) {
        server.enqueue(
            new MockResponse()
                .setSocketPolicy(okhttp3.mockwebserver.SocketPolicy.DISCONNECT_AFTER_REQUEST));
      }
      second.enqueue(ok(tx(TXID, 100, 1, P2PKH)));
      second.enqueue(ok(tip(105)));
      TxAndTip tt = two.txAndTip(TXID).get(10, TimeUnit.SECONDS);
      assertThat(tt.confirmations()).isEqualTo(6);
      assertThat(server.getRequestCount()).isEqualTo(3);
      assertThat(second.takeRequest().getPath()).isEqualTo("/tx/" + TXID);
      assertThat(second.takeRequest().getPath()).isEqualTo("/blockchain-info");
    } finally {
      second.shutdown();
    }
  }

  @Test
  void closeFailsPendingFutures() {
    server.enqueue(ok(tip(1)).setHeadersDelay(3, TimeUnit.SECONDS));
    var f = client.blockchainInfo();
    client.close();
    assertThat(cause(f))
        .isInstanceOf(ChronikUnavailableException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void pendingRequestLimitRejectsExcess() throws Exception {
    client.close();
    client =
        ChronikClient.builder()
            .config(fastConfig(base(server)).maxPendingRequests(1).build())
            .build();
    server.enqueue(ok(tip(1)).setHeadersDelay(300, TimeUnit.MILLISECONDS));
    server.enqueue(ok(tip(2)));
    var first = client.blockchainInfo();
    assertThat(cause(client.blockchainInfo()))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class)
        .hasMessageContaining("more than 1");
    assertThat(first.get(10, TimeUnit.SECONDS).tipHeight()).isEqualTo(1);
    assertThat(client.blockchainInfo().get(10, TimeUnit.SECONDS).tipHeight()).isEqualTo(2);
  }

  @Test
  void configRejectsBadUrls() {
    assertThatThrownBy(() -> ChronikClientConfig.builder().url("chronik.lotusia.org").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChronikClientConfig.builder().url("https://x.org/").build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ChronikClientConfig.builder().build().urls())
        .containsExactly("https://chronik.lotusia.org");
  }
}
