package org.lotusia.chain.howto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.chain.chronik.ChronikFixtures.base;
import static org.lotusia.chain.chronik.ChronikFixtures.tx;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.burn.BurnPolicy;
import org.lotusia.chain.burn.BurnVerification;
import org.lotusia.chain.burn.BurnVerifier;
import org.lotusia.chain.burn.LtmsIdentityBurn;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikClientConfig;
import org.lotusia.chain.chronik.ChronikErrorException;
import org.lotusia.chain.chronik.FakeChronik;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.monitor.ConfirmationListener;
import org.lotusia.chain.monitor.ConfirmationWatch;
import org.lotusia.chain.monitor.TransactionMonitor;
import org.lotusia.chain.monitor.TxConfirmation;

/**
 * The Chronik examples of docs/HOWTO.md, compiled and run against a local mock Chronik server. The
 * regions between the {@code howto:begin} and {@code howto:end} markers are compared with the
 * document.
 */
class ChronikHowToExamplesTest {

  private static final String TXID =
      "2cf9ee0c67d7980b644544457b8788bbb5e73970f0c57da058de8c28e157f504";
  private static final String P2PKH = "76a914fc7250a211deddc70ee5a2738de5f07817351cef88ac";
  private static final String ALICE =
      "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa";

  private MockWebServer server;
  private FakeChronik fake;
  private String chronikUrl;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    fake = new FakeChronik();
    server.setDispatcher(fake);
    server.start();
    chronikUrl = base(server);
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void queryATransaction() {
    fake.txs.put(TXID, tx(TXID, 990, 1000, P2PKH));
    String txid = TXID;
    // howto:begin chronik-query
    ChronikClient chronik = ChronikClient.builder()
        .config(ChronikClientConfig.builder()
            .url(chronikUrl) // "https://chronik.lotusia.org" when no URL is given
            .maxRetries(2) // rounds over all URLs after I/O errors or 5xx replies
            .build())
        .build();
    Tx tx = chronik.tx(txid).join(); // txids in the big-endian hex explorers show
    boolean mined = tx.isMined();

    try {
      chronik.tx("00".repeat(32)).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ChronikErrorException err && err.isNotFound()) {
        // unknown txid; err.errorCode() and err.getMessage() carry Chronik's reply
      }
    }
    chronik.close(); // share one client in an application; close it at shutdown
    // howto:end chronik-query

    assertThat(mined).isTrue();
    assertThat(tx.txid()).isEqualTo(TXID);
    assertThat(tx.outputs()).hasSize(1);
  }

  @Test
  void watchAConfirmation() throws Exception {
    fake.txs.put(TXID, tx(TXID, -1, 1000, P2PKH));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    ChronikClient chronik = ChronikClient.builder()
        .config(ChronikClientConfig.builder().url(chronikUrl).build())
        .build();
    String txid = TXID;
    List<TxConfirmation> updates = new ArrayList<>();
    try {
      // howto:begin chronik-watch
      TransactionMonitor monitor = TransactionMonitor.builder(chronik)
          .pollInterval(Duration.ofMillis(100)) // default 5 s (60 s while the WebSocket is up)
          .useWebSocket(false) // default true: Chronik pushes events, polling is the fallback
          .scheduler(scheduler) // optional; tests pass one they control
          .build();
      ConfirmationWatch watch = monitor.waitForConfirmation(txid, 2, Duration.ofMinutes(10),
          new ConfirmationListener() {
            @Override
            public void onUpdate(TxConfirmation s) {
              updates.add(s); // s.status(): NOT_FOUND, MEMPOOL or MINED; s.confirmations()
            }
          });
      // ... the transaction is mined and one more block follows ...
      // howto:end chronik-watch
      fake.txs.put(TXID, tx(TXID, 999, 1000, P2PKH));
      // howto:begin chronik-watch-end
      TxConfirmation done = watch.future().get(30, java.util.concurrent.TimeUnit.SECONDS);
      // fails with TimeoutException at the deadline; watch.cancel() stops waiting
      monitor.close(); // cancels every watch
      // howto:end chronik-watch-end

      assertThat(done.confirmed()).isTrue();
      assertThat(done.confirmations()).isEqualTo(2);
      assertThat(done.status()).isEqualTo(TxConfirmation.Status.MINED);
      assertThat(updates).isNotEmpty();
    } finally {
      chronik.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void verifyABurn() {
    String ltms = "6a044c544d530101" + "21" + ALICE;
    fake.txs.put(TXID, tx(TXID, 1000 - 144 + 1, 50_000_000, ltms));
    ChronikClient chronik = ChronikClient.builder()
        .config(ChronikClientConfig.builder().url(chronikUrl).build())
        .build();
    String txid = TXID;
    List<String> registered = new ArrayList<>();
    try {
      // howto:begin burn
      BurnVerifier verifier = new BurnVerifier(chronik);
      BurnVerification v = verifier.verify(txid, 0, BurnPolicy.ltmsIdentityRegistration()).join();
      if (v instanceof BurnVerification.Accepted a) {
        String identityId = BurnVerifier.deriveIdentityId(txid, 0);
        LtmsIdentityBurn burn = LtmsIdentityBurn
            .parse(java.util.HexFormat.of().parseHex(a.burn().scriptHex())).orElseThrow();
        registered.add(identityId + " " + burn.publicKeyHex());
      } else if (v instanceof BurnVerification.Rejected r) {
        // r.reason(): NOT_FOUND, UNCONFIRMED, AMOUNT_TOO_LOW, IMMATURE, ...; r.detail() explains
      }
      // howto:end burn
    } finally {
      chronik.close();
    }
    assertThat(registered)
        .containsExactly(BurnVerifier.deriveIdentityId(TXID, 0) + " " + ALICE);
  }
}
