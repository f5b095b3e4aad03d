package org.lotusia.chain.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.chain.chronik.ChronikFixtures.base;
import static org.lotusia.chain.chronik.ChronikFixtures.fastConfig;
import static org.lotusia.chain.chronik.ChronikFixtures.tx;
import static org.lotusia.chain.chronik.ChronikFixtures.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.FakeChronik;
import org.lotusia.chain.chronik.proto.MsgBlockConnected;
import org.lotusia.chain.chronik.proto.MsgConfirmed;
import org.lotusia.chain.chronik.proto.SubscribeMsg;
import org.lotusia.chain.chronik.proto.Subscription;

/** Confirmation by WebSocket push: polling is set to one hour, so only push events can finish. */
class TransactionMonitorPushTest {

  static final String TXID = TransactionMonitorTest.TXID;
  static final String P2PKH = TransactionMonitorTest.P2PKH;

  final List<Subscription> subs = new CopyOnWriteArrayList<>();
  volatile WebSocket serverSocket;
  MockWebServer server;
  FakeChronik chronik;
  ChronikClient client;
  ScheduledExecutorService scheduler;
  TransactionMonitor monitor;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    chronik = new FakeChronik();
    chronik.wsUpgrade =
        new MockResponse()
            .withWebSocketUpgrade(
                new WebSocketListener() {
                  @Override
                  public void onOpen(WebSocket webSocket, Response response) {
                    serverSocket = webSocket;
                  }

                  @Override
                  public void onClosing(WebSocket webSocket, int code, String reason) {
                    webSocket.close(1000, null);
                  }

                  @Override
                  public void onMessage(WebSocket webSocket, ByteString bytes) {
                    try {
                      subs.add(Subscription.parseFrom(bytes.toByteArray()));
                    } catch (IOException e) {
                      throw new AssertionError(e);
                    }
                  }
                });
    server.setDispatcher(chronik);
    server.start();
    client = ChronikClient.builder().config(fastConfig(base(server)).build()).build();
    scheduler = Executors.newScheduledThreadPool(1);
    monitor =
        TransactionMonitor.builder(client)
            .scheduler(scheduler)
            .pollInterval(Duration.ofHours(1))
            .pushPollInterval(Duration.ofHours(1))
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    monitor.close();
    client.close();
    scheduler.shutdownNow();
    server.shutdown();
  }

  void push(SubscribeMsg m) {
    serverSocket.send(ByteString.of(m.toByteArray()));
  }

  @Test
  void reorgEventReportsTheTransactionBackInTheMempool() throws Exception {
    chronik.txs.put(TXID, tx(TXID, 1000, 1000, P2PKH));
    List<TxConfirmation> updates = new CopyOnWriteArrayList<>();
    ConfirmationWatch w =
        monitor.waitForConfirmation(
            TXID,
            3,
            Duration.ofMinutes(5),
            new ConfirmationListener() {
              @Override
              public void onUpdate(TxConfirmation state) {
                updates.add(state);
              }
            });
    await().atMost(Duration.ofSeconds(10)).until(() -> subs.size() == 1 && serverSocket != null);
    await().atMost(Duration.ofSeconds(10)).until(monitor::isPushConnected);
    await().atMost(Duration.ofSeconds(10)).until(() -> !updates.isEmpty());
    assertThat(updates.get(0).status()).isEqualTo(TxConfirmation.Status.MINED);

    chronik.txs.put(TXID, tx(TXID, -1, 1000, P2PKH));
    chronik.tipHeight.set(999);
    push(
        SubscribeMsg.newBuilder()
            .setReorg(org.lotusia.chain.chronik.proto.MsgReorg.newBuilder().setTxid(wire(TXID)))
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> updates.stream().anyMatch(u -> u.status() == TxConfirmation.Status.MEMPOOL));
    assertThat(w.future()).isNotDone();
  }

  @Test
  void pollingTakesOverWhenTheWebSocketIsRefused() throws Exception {
    chronik.wsUpgrade = null;
    try (TransactionMonitor polling =
        TransactionMonitor.builder(client)
            .scheduler(scheduler)
            .pollInterval(Duration.ofMillis(50))
            .build()) {
      chronik.txs.put(TXID, tx(TXID, -1, 1000, P2PKH));
      ConfirmationWatch w =
          polling.waitForConfirmation(
              TXID, 1, Duration.ofMinutes(1), new ConfirmationListener() {});
      await().atMost(Duration.ofSeconds(10)).until(() -> chronik.paths.contains("/ws"));
      chronik.txs.put(TXID, tx(TXID, 1000, 1000, P2PKH));
      assertThat(w.future().get(10, TimeUnit.SECONDS).confirmations()).isEqualTo(1);
      assertThat(polling.isPushConnected()).isFalse();
    }
  }

  @Test
  void confirmationArrivesByPush() throws Exception {
    chronik.txs.put(TXID, tx(TXID, -1, 1000, P2PKH));
    ConfirmationWatch w =
        monitor.waitForConfirmation(TXID, 2, Duration.ofMinutes(5), new ConfirmationListener() {});
    await().atMost(Duration.ofSeconds(10)).until(() -> subs.size() == 1);
    assertThat(subs.get(0).getScriptType()).isEqualTo("p2pkh");
    assertThat(subs.get(0).getPayload().toByteArray()).hasSize(20);
    await().atMost(Duration.ofSeconds(10)).until(monitor::isPushConnected);
    await().atMost(Duration.ofSeconds(10)).until(() -> w.latest() != null);

    chronik.txs.put(TXID, tx(TXID, 1000, 1000, P2PKH));
    push(
        SubscribeMsg.newBuilder()
            .setConfirmed(MsgConfirmed.newBuilder().setTxid(wire(TXID)))
            .build());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> w.latest().status() == TxConfirmation.Status.MINED);
    assertThat(w.future()).isNotDone();

    chronik.tipHeight.set(1001);
    push(
        SubscribeMsg.newBuilder()
            .setBlockConnected(MsgBlockConnected.newBuilder().setBlockHash(wire("cd".repeat(32))))
            .build());
    TxConfirmation done = w.future().get(10, TimeUnit.SECONDS);
    assertThat(done.confirmations()).isEqualTo(2);

    // the finished watch releases its subscription
    await().atMost(Duration.ofSeconds(10)).until(() -> subs.size() == 2);
    assertThat(subs.get(1).getIsSubscribe()).isFalse();
  }
}
