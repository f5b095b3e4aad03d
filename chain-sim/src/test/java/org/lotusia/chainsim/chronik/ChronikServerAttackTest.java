package org.lotusia.chainsim.chronik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.proto.Error;
import org.lotusia.chain.chronik.proto.SubscribeMsg;
import org.lotusia.chain.chronik.proto.Subscription;
import org.lotusia.chainsim.ChainSimulator;

/**
 * Attacks on the HTTP and WebSocket side: oversized bodies, malformed protobuf, garbage paths,
 * too many subscriptions and oversized WebSocket messages get clear Chronik errors, and the server
 * keeps serving with bounded state.
 */
class ChronikServerAttackTest {

  private static final MediaType PROTOBUF = MediaType.get("application/x-protobuf");

  private ChainSimulator sim;
  private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30)).build();

  @BeforeEach
  void start() throws Exception {
    sim =
        ChainSimulator.builder()
            .server(
                ChronikServerConfig.builder()
                    .maxRequestBytes(64 * 1024)
                    .maxWsSubscriptions(3)
                    .maxWsMessageBytes(256)
                    .maxWsConnections(2)
                    .maxBroadcastTxs(2)
                    .build())
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    sim.stop();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  private record Reply(int status, Error error) {}

  private Reply post(String path, byte[] body) throws IOException {
    Request req =
        new Request.Builder().url(sim.url() + path).post(RequestBody.create(body, PROTOBUF)).build();
    try (Response r = http.newCall(req).execute()) {
      return new Reply(r.code(), Error.parseFrom(r.body().bytes()));
    }
  }

  private Reply get(String path) throws IOException {
    try (Response r = http.newCall(new Request.Builder().url(sim.url() + path).build()).execute()) {
      byte[] body = r.body().bytes();
      return new Reply(r.code(), r.code() == 200 ? null : Error.parseFrom(body));
    }
  }

  @Test
  void oversizedBodyIsRefusedWith413() throws Exception {
    Reply r = post("/broadcast-tx", new byte[64 * 1024 + 1]);
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.error().getErrorCode()).isEqualTo("payload-too-large");
    assertThat(r.error().getMsg()).contains("65536");
    // the server still answers
    assertThat(get("/blockchain-info").status()).isEqualTo(200);
  }

  @Test
  void malformedProtobufIsRefusedWith400() throws Exception {
    Reply r = post("/broadcast-tx", new byte[] {(byte) 0x0a, (byte) 0xff, 0x01});
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getErrorCode()).isEqualTo("invalid-protobuf");
    Reply garbageTx = post("/broadcast-tx", org.lotusia.chain.chronik.proto.BroadcastTxRequest.newBuilder()
        .setRawTx(com.google.protobuf.ByteString.copyFrom(new byte[] {1, 2, 3})).build().toByteArray());
    assertThat(garbageTx.status()).isEqualTo(400);
    assertThat(garbageTx.error().getErrorCode()).isEqualTo("parsing-failed");
    assertThat(garbageTx.error().getMsg()).startsWith("Parsing tx failed: ");
  }

  @Test
  void badPathsGetChronikErrors() throws Exception {
    assertThat(get("/tx/zz").error().getErrorCode()).isEqualTo("invalid-hash");
    assertThat(get("/script/p2pkh/00/utxos").error().getErrorCode()).isEqualTo("invalid-script-payload");
    assertThat(get("/script/bogus/00/utxos").error().getErrorCode()).isEqualTo("invalid-script-type");
    assertThat(get("/blocks/0/100000").error().getErrorCode()).isEqualTo("blocks-range-too-large");
    Reply none = get("/nope");
    assertThat(none.status()).isEqualTo(404);
    assertThat(none.error().getErrorCode()).isEqualTo("not-found");
  }

  @Test
  void tooManyTransactionsInOneBroadcastAreRefused() throws Exception {
    var req = org.lotusia.chain.chronik.proto.BroadcastTxsRequest.newBuilder();
    for (int i = 0; i < 3; i++) {
      req.addRawTxs(com.google.protobuf.ByteString.copyFrom(new byte[] {1}));
    }
    Reply r = post("/broadcast-txs", req.build().toByteArray());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.error().getErrorCode()).isEqualTo("too-many-txs");
  }

  @Test
  void connectionsBeyondTheLimitAreClosed() throws Exception {
    List<Integer> codes = new CopyOnWriteArrayList<>();
    List<WebSocket> sockets = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      sockets.add(
          http.newWebSocket(
              new Request.Builder().url(sim.url().replace("http://", "ws://") + "/ws").build(),
              new WebSocketListener() {
                @Override
                public void onClosing(WebSocket webSocket, int code, String reason) {
                  codes.add(code);
                  webSocket.close(1000, null);
                }
              }));
      int open = i + 1;
      await().atMost(Duration.ofSeconds(30)).until(() -> sim.server().webSocketConnections() + codes.size() >= open);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> codes.contains(1013));
    assertThat(sim.server().webSocketConnections()).isEqualTo(2);
    sockets.forEach(s -> s.close(1000, null));
  }

  private static byte[] sub(int i) {
    byte[] hash = new byte[20];
    hash[0] = (byte) i;
    return Subscription.newBuilder()
        .setScriptType("p2pkh")
        .setPayload(com.google.protobuf.ByteString.copyFrom(hash))
        .setIsSubscribe(true)
        .build()
        .toByteArray();
  }

  @Test
  void webSocketLimitsAnswerWithErrorsAndStayBounded() throws Exception {
    List<SubscribeMsg> received = new CopyOnWriteArrayList<>();
    AtomicInteger closeCode = new AtomicInteger();
    WebSocket ws =
        http.newWebSocket(
            new Request.Builder().url(sim.url().replace("http://", "ws://") + "/ws").build(),
            new WebSocketListener() {
              @Override
              public void onMessage(WebSocket webSocket, ByteString bytes) {
                try {
                  received.add(SubscribeMsg.parseFrom(bytes.toByteArray()));
                } catch (IOException e) {
                  throw new AssertionError(e);
                }
              }

              @Override
              public void onClosing(WebSocket webSocket, int code, String reason) {
                closeCode.set(code);
                webSocket.close(1000, null);
              }
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> sim.server().webSocketConnections() == 1);
    for (int i = 0; i < 10; i++) {
      ws.send(ByteString.of(sub(i)));
    }
    ws.send(ByteString.of((byte) 0x0a, (byte) 0xff));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> received.stream().filter(SubscribeMsg::hasError).count() == 8);
    assertThat(sim.server().webSocketSubscriptions()).isEqualTo(3);
    assertThat(received)
        .filteredOn(SubscribeMsg::hasError)
        .extracting(m -> m.getError().getErrorCode())
        .containsOnly("too-many-subscriptions", "invalid-protobuf");
    // a message above the limit closes the connection with 1009
    ws.send(ByteString.of(new byte[1024]));
    await().atMost(Duration.ofSeconds(30)).until(() -> closeCode.get() == 1009);
    await().atMost(Duration.ofSeconds(30)).until(() -> sim.server().webSocketConnections() == 0);
    http.dispatcher().executorService().awaitTermination(0, TimeUnit.MILLISECONDS);
  }
}
