package org.lotusia.chain.chronik;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.chain.chronik.ChronikFixtures.HEX;
import static org.lotusia.chain.chronik.ChronikFixtures.base;
import static org.lotusia.chain.chronik.ChronikFixtures.fastConfig;
import static org.lotusia.chain.chronik.ChronikFixtures.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okio.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.proto.MsgBlockConnected;
import org.lotusia.chain.chronik.proto.MsgConfirmed;
import org.lotusia.chain.chronik.proto.SubscribeMsg;
import org.lotusia.chain.chronik.proto.Subscription;

class ChronikWebSocketTest {

  static final String TXID = "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504";

  /** Server side of one WebSocket: records subscriptions, lets the test push messages. */
  static final class ServerSide extends WebSocketListener {
    final List<Subscription> received = new CopyOnWriteArrayList<>();
    volatile WebSocket socket;

    @Override
    public void onOpen(WebSocket webSocket, Response response) {
      socket = webSocket;
    }

    @Override
    public void onMessage(WebSocket webSocket, ByteString bytes) {
      try {
        received.add(Subscription.parseFrom(bytes.toByteArray()));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      webSocket.close(1000, null);
    }

    void push(SubscribeMsg msg) {
      socket.send(ByteString.of(msg.toByteArray()));
    }
  }

  MockWebServer server;
  ChronikClient client;
  final List<ChronikEvent> events = new CopyOnWriteArrayList<>();
  final ChronikWebSocket.Listener listener = events::add;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    server.start();
    client =
        ChronikClient.builder()
            .config(fastConfig(base(server)).maxWsMessageBytes(4096).maxWsSubscriptions(2).build())
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.shutdown();
  }

  @Test
  void subscribesAndReceivesConfirmationEvents() throws Exception {
    ServerSide side = new ServerSide();
    server.enqueue(new MockResponse().withWebSocketUpgrade(side));
    try (ChronikWebSocket ws = client.webSocket(listener)) {
      byte[] hash = HEX.parseHex("fc7250a211deddc70ee5a2738de5f07817351cef");
      ws.subscribe(ChronikScriptType.P2PKH, hash);
      ws.connect().get(10, TimeUnit.SECONDS);
      assertThat(server.takeRequest().getPath()).isEqualTo("/ws");
      await().atMost(Duration.ofSeconds(10)).until(() -> side.received.size() == 1);
      Subscription sub = side.received.get(0);
      assertThat(sub.getScriptType()).isEqualTo("p2pkh");
      assertThat(sub.getPayload().toByteArray()).isEqualTo(hash);
      assertThat(sub.getIsSubscribe()).isTrue();

      side.push(
          SubscribeMsg.newBuilder()
              .setConfirmed(MsgConfirmed.newBuilder().setTxid(wire(TXID)))
              .build());
      side.push(
          SubscribeMsg.newBuilder()
              .setBlockConnected(MsgBlockConnected.newBuilder().setBlockHash(wire("ab".repeat(32))))
              .build());
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
      assertThat(events)
          .containsExactly(
              new ChronikEvent.Confirmed(TXID), new ChronikEvent.BlockConnected("ab".repeat(32)));

      ws.unsubscribe(ChronikScriptType.P2PKH, hash);
      await().atMost(Duration.ofSeconds(10)).until(() -> side.received.size() == 2);
      assertThat(side.received.get(1).getIsSubscribe()).isFalse();
    }
  }

  @Test
  void malformedMessagesAreDroppedAndErrorsDecoded() throws Exception {
    ServerSide side = new ServerSide();
    server.enqueue(new MockResponse().withWebSocketUpgrade(side));
    try (ChronikWebSocket ws = client.webSocket(listener)) {
      ws.connect().get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> side.socket != null);
      side.socket.send(ByteString.of((byte) 0x0a, (byte) 0x7f));
      side.push(
          SubscribeMsg.newBuilder()
              .setError(
                  org.lotusia.chain.chronik.proto.Error.newBuilder()
                      .setErrorCode("invalid-script-type")
                      .setMsg("bad")
                      .setIsUserError(true))
              .build());
      await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
      assertThat(events.get(0))
          .isEqualTo(new ChronikEvent.Error("invalid-script-type", "bad", true));
      assertThat(ws.isConnected()).isTrue();
    }
  }

  @Test
  void closingTheClientClosesItsSockets() throws Exception {
    ServerSide side = new ServerSide();
    server.enqueue(new MockResponse().withWebSocketUpgrade(side));
    ChronikWebSocket ws = client.webSocket(listener);
    ws.connect().get(10, TimeUnit.SECONDS);
    assertThat(ws.isConnected()).isTrue();
    client.close();
    assertThat(ws.isConnected()).isFalse();
    assertThat(ws.connect()).isCompletedExceptionally();
  }

  @Test
  void subscriptionLimitIsEnforced() {
    try (ChronikWebSocket ws = client.webSocket(listener)) {
      ws.subscribe(ChronikScriptType.P2PKH, new byte[20]);
      ws.subscribe(ChronikScriptType.P2SH, new byte[20]);
      ws.subscribe(ChronikScriptType.P2SH, new byte[20]);
      assertThatThrownBy(() -> ws.subscribe(ChronikScriptType.P2TR_COMMITMENT, new byte[33]))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("limit of 2");
      assertThat(ws.subscriptionCount()).isEqualTo(2);
    }
  }

  @Test
  void oversizedMessageClosesAndReconnectResubscribes() throws Exception {
    ServerSide first = new ServerSide();
    ServerSide second = new ServerSide();
    server.enqueue(new MockResponse().withWebSocketUpgrade(first));
    server.enqueue(new MockResponse().withWebSocketUpgrade(second));
    List<String> lifecycle = new CopyOnWriteArrayList<>();
    try (ChronikWebSocket ws =
        client.webSocket(
            new ChronikWebSocket.Listener() {
              @Override
              public void onEvent(ChronikEvent event) {
                events.add(event);
              }

              @Override
              public void onConnected() {
                lifecycle.add("up");
              }

              @Override
              public void onDisconnected(Throwable cause) {
                lifecycle.add("down");
              }
            })) {
      ws.subscribe(ChronikScriptType.P2PKH, new byte[20]);
      ws.connect().get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> first.received.size() == 1);
      first.socket.send(ByteString.of(new byte[5000]));
      await().atMost(Duration.ofSeconds(10)).until(() -> second.received.size() == 1);
      assertThat(second.received.get(0).getIsSubscribe()).isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> lifecycle.equals(List.of("up", "down", "up")));
      assertThat(events).isEmpty();
    }
  }

  @Test
  void connectFailsOverFromADeadUrl() throws Exception {
    MockWebServer dead = new MockWebServer();
    dead.start();
    String deadUrl = base(dead);
    dead.shutdown();
    ServerSide side = new ServerSide();
    server.enqueue(new MockResponse().withWebSocketUpgrade(side));
    try (ChronikClient c =
            ChronikClient.builder().config(fastConfig(deadUrl, base(server)).build()).build();
        ChronikWebSocket ws = c.webSocket(listener)) {
      ws.subscribe(ChronikScriptType.P2TR_COMMITMENT, new byte[33]);
      ws.connect().get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> side.received.size() == 1);
      assertThat(side.received.get(0).getScriptType()).isEqualTo("p2tr-commitment");
    }
  }

  @Test
  void connectFailsWhenNoServerAcceptsTheSocket() throws Exception {
    MockWebServer dead = new MockWebServer();
    dead.start();
    String url = base(dead);
    dead.shutdown();
    try (ChronikClient c = ChronikClient.builder().config(fastConfig(url).build()).build();
        ChronikWebSocket ws = c.webSocket(listener)) {
      assertThat(ws.connect())
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(ChronikUnavailableException.class);
      assertThat(ws.isConnected()).isFalse();
    }
  }
}
