package org.lotusia.chain.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.chain.chronik.ChronikFixtures.base;
import static org.lotusia.chain.chronik.ChronikFixtures.fastConfig;
import static org.lotusia.chain.chronik.ChronikFixtures.ok;
import static org.lotusia.chain.chronik.ChronikFixtures.tx;
import static org.lotusia.chain.chronik.ChronikFixtures.wire;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikUnavailableException;
import org.lotusia.chain.chronik.FakeChronik;
import org.lotusia.chain.chronik.Utxo;
import org.lotusia.chain.chronik.proto.BroadcastTxResponse;
import org.lotusia.chain.chronik.proto.OutPoint;
import org.lotusia.chain.chronik.proto.ScriptUtxos;
import org.lotusia.chain.chronik.proto.Utxos;
import org.lotusia.chain.monitor.TxConfirmation.Status;

class TransactionMonitorTest {

  static final String TXID = "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504";
  static final String P2PKH = "76a914fc7250a211deddc70ee5a2738de5f07817351cef88ac";
  static final Duration WAIT = Duration.ofSeconds(10);

  MockWebServer server;
  FakeChronik chronik;
  ChronikClient client;
  ScheduledExecutorService scheduler;
  TransactionMonitor monitor;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    chronik = new FakeChronik();
    server.setDispatcher(chronik);
    server.start();
    client = ChronikClient.builder().config(fastConfig(base(server)).build()).build();
    scheduler = Executors.newScheduledThreadPool(1);
    monitor =
        TransactionMonitor.builder(client)
            .scheduler(scheduler)
            .pollInterval(Duration.ofMillis(50))
            .useWebSocket(false)
            .build();
  }

  @AfterEach
  void stop() throws IOException {
    monitor.close();
    client.close();
    scheduler.shutdownNow();
    server.shutdown();
  }

  TxConfirmation check(int required) throws Exception {
    return monitor.checkConfirmations(TXID, required).get(10, TimeUnit.SECONDS);
  }

  @Test
  void confirmationCounts() throws Exception {
    assertThat(check(1)).isEqualTo(new TxConfirmation(TXID, Status.NOT_FOUND, -1, 0, false));
    chronik.txs.put(TXID, tx(TXID, -1, 1000, P2PKH));
    assertThat(check(1)).isEqualTo(new TxConfirmation(TXID, Status.MEMPOOL, -1, 0, false));
    chronik.txs.put(TXID, tx(TXID, 995, 1000, P2PKH));
    assertThat(check(6)).isEqualTo(new TxConfirmation(TXID, Status.MINED, 995, 6, true));
    assertThat(check(7).confirmed()).isFalse();
    chronik.tipHeight.set(990);
    assertThat(check(1))
        .as("tip behind the tx's block clamps to 0")
        .isEqualTo(new TxConfirmation(TXID, Status.MINED, 995, 0, false));
    assertThatThrownBy(() -> monitor.checkConfirmations("not-a-valid-tx-id", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> monitor.checkConfirmations(TXID, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void networkErrorIsAFailureNotNull() throws Exception {
    MockWebServer dead = new MockWebServer();
    dead.start();
    String url = base(dead);
    dead.shutdown();
    try (ChronikClient c =
            ChronikClient.builder().config(fastConfig(url).maxRetries(0).build()).build();
        TransactionMonitor m = TransactionMonitor.builder(c).useWebSocket(false).build()) {
      assertThat(m.checkConfirmations(TXID, 1))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(ChronikUnavailableException.class);
    }
  }

  @Test
  void waitsByPollingAndReportsUpdates() throws Exception {
    chronik.txs.put(TXID, tx(TXID, -1, 1000, P2PKH));
    List<TxConfirmation> updates = new CopyOnWriteArrayList<>();
    List<TxConfirmation> confirmed = new CopyOnWriteArrayList<>();
    ConfirmationWatch w =
        monitor.waitForConfirmation(
            TXID,
            2,
            WAIT,
            new ConfirmationListener() {
              @Override
              public void onUpdate(TxConfirmation state) {
                updates.add(state);
              }

              @Override
              public void onConfirmed(TxConfirmation state) {
                confirmed.add(state);
              }
            });
    await().atMost(WAIT).until(() -> !updates.isEmpty());
    assertThat(updates.get(0).status()).isEqualTo(Status.MEMPOOL);
    chronik.txs.put(TXID, tx(TXID, 1000, 1000, P2PKH));
    await().atMost(WAIT).until(() -> updates.size() >= 2);
    assertThat(updates.get(1)).isEqualTo(new TxConfirmation(TXID, Status.MINED, 1000, 1, false));
    assertThat(w.future()).isNotDone();
    chronik.tipHeight.set(1001);
    TxConfirmation done = w.future().get(10, TimeUnit.SECONDS);
    assertThat(done).isEqualTo(new TxConfirmation(TXID, Status.MINED, 1000, 2, true));
    await().atMost(WAIT).until(() -> confirmed.size() == 1);
    assertThat(monitor.activeWatches()).isZero();
  }

  @Test
  void timesOutWithCallback() {
    List<String> calls = new CopyOnWriteArrayList<>();
    ConfirmationWatch w =
        monitor.waitForConfirmation(
            TXID,
            1,
            // long enough for the first poll (every 50 ms) to record a state even on a slow machine
            Duration.ofSeconds(2),
            new ConfirmationListener() {
              @Override
              public void onTimeout(TxConfirmation last) {
                calls.add("timeout " + last.status());
              }
            });
    assertThat(w.future())
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(TimeoutException.class);
    await().atMost(WAIT).until(() -> calls.equals(List.of("timeout NOT_FOUND")));
    await().atMost(WAIT).until(() -> monitor.activeWatches() == 0);
  }

  @Test
  void cancelStopsPolling() throws Exception {
    ConfirmationWatch w = monitor.waitForConfirmation(TXID, 1);
    await().atMost(WAIT).until(() -> chronik.paths.size() >= 2);
    assertThat(w.cancel()).isTrue();
    assertThat(w.future()).isCancelled();
    assertThat(monitor.activeWatches()).isZero();
    int before = chronik.paths.size();
    await()
        .during(Duration.ofMillis(300))
        .atMost(WAIT)
        .until(() -> chronik.paths.size() <= before + 2);
  }

  @Test
  @SuppressWarnings("try") // the monitor is closed inside its block on purpose, then checked
  void watchLimitAndClose() {
    try (TransactionMonitor m =
        TransactionMonitor.builder(client)
            .scheduler(scheduler)
            .useWebSocket(false)
            .maxWatches(1)
            .build()) {
      ConfirmationWatch w = m.waitForConfirmation(TXID, 1);
      assertThatThrownBy(() -> m.waitForConfirmation(TXID, 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("limit of 1");
      m.close();
      assertThat(w.future()).isCancelled();
      assertThatThrownBy(() -> w.future().join())
          .isInstanceOf(CancellationException.class)
          .hasMessageContaining("closed");
      assertThatThrownBy(() -> m.waitForConfirmation(TXID, 1))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void batchGetTransactionAndBroadcast() throws Exception {
    String other = "ab".repeat(32);
    chronik.txs.put(TXID, tx(TXID, 1000, 1000, P2PKH));
    Map<String, TxConfirmation> m =
        monitor.batchCheckConfirmations(List.of(TXID, other), 1).get(10, TimeUnit.SECONDS);
    assertThat(m.keySet()).containsExactly(TXID, other);
    assertThat(m.get(TXID).confirmed()).isTrue();
    assertThat(m.get(other).status()).isEqualTo(Status.NOT_FOUND);
    assertThat(monitor.getTransaction(other).get(10, TimeUnit.SECONDS)).isEmpty();
    assertThat(monitor.getTransaction(TXID).get(10, TimeUnit.SECONDS))
        .hasValueSatisfying(t -> assertThat(t.txid()).isEqualTo(TXID));

    chronik.override = ok(BroadcastTxResponse.newBuilder().setTxid(wire(TXID)).build());
    assertThat(monitor.broadcast("0200").get(10, TimeUnit.SECONDS)).isEqualTo(TXID);
    assertThatThrownBy(() -> monitor.broadcast("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void getUtxosSendsTypeAndPayloadForP2pkhAndP2tr() throws Exception {
    String p2pkhPath = "/script/p2pkh/fc7250a211deddc70ee5a2738de5f07817351cef/utxos";
    chronik.utxos.put(
        p2pkhPath,
        Utxos.newBuilder()
            .addScriptUtxos(
                ScriptUtxos.newBuilder()
                    .addUtxos(
                        org.lotusia.chain.chronik.proto.Utxo.newBuilder()
                            .setOutpoint(OutPoint.newBuilder().setTxid(wire(TXID)).setOutIdx(1))
                            .setBlockHeight(10)
                            .setValue(777)))
            .build());
    List<Utxo> utxos =
        monitor
            .getUtxos("lotus_16PSJQqpELASd4d5AwaKuezpYXsK8Jnk9ougXAjn3")
            .get(10, TimeUnit.SECONDS);
    assertThat(utxos)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.outpoint().txid()).isEqualTo(TXID);
              assertThat(u.outpoint().outIdx()).isEqualTo(1);
              assertThat(u.value()).isEqualTo(777);
            });
    assertThat(chronik.paths).contains(p2pkhPath);

    assertThat(
            monitor
                .getUtxos("lotus_JFeSAhiGTGnmFbDDCXeAdRnuNQ2qcLbXJfZnrkNQGKr1nLvzNEZ")
                .get(10, TimeUnit.SECONDS))
        .isEmpty();
    assertThat(chronik.paths)
        .contains(
            "/script/p2tr-commitment/"
                + "02c517f6ac806f209f7a5672e245497182b3b39cdf23b9494d2b1719caaeb189d4/utxos");
    assertThatThrownBy(() -> monitor.getUtxos("lotus_invalid"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
