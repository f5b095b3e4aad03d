package org.lotusia.chain.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.chain.chronik.ChronikFixtures.base;
import static org.lotusia.chain.chronik.ChronikFixtures.fastConfig;
import static org.lotusia.chain.chronik.ChronikFixtures.tx;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.FakeChronik;

/**
 * lotus-sdk's defaults (5 s polls, 10 min timeout) with time stepped by the test, not waited for.
 */
class TransactionMonitorSteppedTimeTest {

  static final String TXID = TransactionMonitorTest.TXID;
  static final Duration WAIT = Duration.ofSeconds(10);

  MockWebServer server;
  FakeChronik chronik;
  ChronikClient client;
  SteppingScheduler time;
  TransactionMonitor monitor;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    chronik = new FakeChronik();
    server.setDispatcher(chronik);
    server.start();
    client = ChronikClient.builder().config(fastConfig(base(server)).build()).build();
    time = new SteppingScheduler();
    monitor = TransactionMonitor.builder(client).scheduler(time).useWebSocket(false).build();
  }

  @AfterEach
  void stop() throws IOException {
    monitor.close();
    client.close();
    server.shutdown();
  }

  /** Waits until the watch's check finished and its next poll (or nothing) is queued. */
  void settle(int requests) {
    await().atMost(WAIT).until(() -> chronik.paths.size() >= requests && time.pending() == 2);
  }

  @Test
  void pollsEveryFiveSecondsOfSteppedTime() throws Exception {
    chronik.txs.put(TXID, tx(TXID, -1, 1000, TransactionMonitorTest.P2PKH));
    ConfirmationWatch w = monitor.waitForConfirmation(TXID, 1);
    settle(2);
    time.advance(Duration.ofSeconds(4));
    assertThat(chronik.paths).hasSize(2);
    chronik.txs.put(TXID, tx(TXID, 1000, 1000, TransactionMonitorTest.P2PKH));
    time.advance(Duration.ofSeconds(1));
    assertThat(
            w.future().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).confirmations())
        .isEqualTo(1);
    assertThat(chronik.paths).hasSize(4);
  }

  @Test
  void defaultTimeoutOfTenMinutes() {
    ConfirmationWatch w = monitor.waitForConfirmation(TXID, 1);
    // an unknown txid costs one request per check (the 404); it keeps being polled
    for (int polls = 1; polls <= 3; polls++) {
      settle(polls);
      time.advance(Duration.ofSeconds(5));
    }
    settle(4);
    assertThat(chronik.paths).hasSize(4);
    assertThat(w.future()).isNotDone();
    time.advance(Duration.ofMinutes(10));
    assertThat(w.future())
        .failsWithin(WAIT)
        .withThrowableOfType(ExecutionException.class)
        .withCauseInstanceOf(TimeoutException.class)
        .withMessageContaining("within PT10M");
    await().atMost(WAIT).until(() -> monitor.activeWatches() == 0);
  }
}
