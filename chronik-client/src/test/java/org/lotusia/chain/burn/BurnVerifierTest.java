package org.lotusia.chain.burn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.chain.chronik.ChronikFixtures.base;
import static org.lotusia.chain.chronik.ChronikFixtures.fastConfig;
import static org.lotusia.chain.chronik.ChronikFixtures.tx;

import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.burn.BurnVerification.Accepted;
import org.lotusia.chain.burn.BurnVerification.Reason;
import org.lotusia.chain.burn.BurnVerification.Rejected;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikUnavailableException;
import org.lotusia.chain.chronik.FakeChronik;

class BurnVerifierTest {

  static final String TXID = "11".repeat(31) + "aa";
  static final String ALICE_LTMS = BurnFormatsTest.ALICE_LTMS;
  static final String P2PKH = "76a914fc7250a211deddc70ee5a2738de5f07817351cef88ac";

  MockWebServer server;
  FakeChronik chronik;
  ChronikClient client;
  BurnVerifier verifier;

  @BeforeEach
  void start() throws IOException {
    server = new MockWebServer();
    chronik = new FakeChronik();
    server.setDispatcher(chronik);
    server.start();
    client = ChronikClient.builder().config(fastConfig(base(server)).build()).build();
    verifier = new BurnVerifier(client);
  }

  @AfterEach
  void stop() throws IOException {
    client.close();
    server.shutdown();
  }

  BurnVerification verify(int index, BurnPolicy policy) throws Exception {
    return verifier.verify(TXID, index, policy).get(10, TimeUnit.SECONDS);
  }

  Reason reason(int index, BurnPolicy policy) throws Exception {
    BurnVerification v = verify(index, policy);
    assertThat(v).isInstanceOf(Rejected.class);
    return ((Rejected) v).reason();
  }

  @Test
  void acceptsMaturedLtmsIdentityBurnAtExactBoundary() throws Exception {
    chronik.txs.put(TXID, tx(TXID, 1000 - 144 + 1, 50_000_000, ALICE_LTMS));
    BurnVerification v = verify(0, BurnPolicy.ltmsIdentityRegistration());
    assertThat(v)
        .isInstanceOfSatisfying(
            Accepted.class,
            a -> {
              BurnOutput b = a.burn();
              assertThat(b.confirmations()).isEqualTo(144);
              assertThat(b.matured()).isTrue();
              assertThat(b.burnAmount()).isEqualTo(50_000_000);
              assertThat(b.blockHeight()).isEqualTo(857);
              assertThat(HexFormat.of().formatHex(b.lokad().prefix())).isEqualTo("4c544d53");
              assertThat(b.lokad().version()).isEqualTo(1);
              assertThat(HexFormat.of().formatHex(b.lokad().payload()))
                  .isEqualTo(BurnFormatsTest.ALICE);
            });
    // tx and tip come from the same server, one request each
    assertThat(chronik.paths).containsExactly("/tx/" + TXID, "/blockchain-info");
  }

  @Test
  void defaultPolicyMaturesAtOneHundred() throws Exception {
    chronik.txs.put(TXID, tx(TXID, 901, 1, ALICE_LTMS));
    assertThat(verify(0, BurnPolicy.lotusSdkDefault()).isAccepted()).isTrue();
    chronik.tipHeight.set(999);
    BurnVerification v = verifier.verify(TXID, 0).get(10, TimeUnit.SECONDS);
    assertThat(v)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(Reason.IMMATURE);
              assertThat(r.burn().confirmations()).isEqualTo(99);
              assertThat(r.burn().matured()).isFalse();
            });
  }

  @Test
  void rejectionReasons() throws Exception {
    assertThat(reason(0, BurnPolicy.lotusSdkDefault())).isEqualTo(Reason.NOT_FOUND);

    chronik.txs.put(TXID, tx(TXID, -1, 50_000_000, ALICE_LTMS));
    assertThat(reason(0, BurnPolicy.lotusSdkDefault())).isEqualTo(Reason.UNCONFIRMED);

    chronik.txs.put(TXID, tx(TXID, 500, 50_000_000, P2PKH));
    assertThat(reason(0, BurnPolicy.lotusSdkDefault())).isEqualTo(Reason.NOT_DATA_OUTPUT);
    assertThat(reason(1, BurnPolicy.lotusSdkDefault())).isEqualTo(Reason.NO_SUCH_OUTPUT);

    chronik.txs.put(TXID, tx(TXID, 500, 50_000_000, ALICE_LTMS + "ac"));
    assertThat(reason(0, BurnPolicy.lotusSdkDefault()))
        .as("non-push opcode")
        .isEqualTo(Reason.NOT_DATA_OUTPUT);
    byte[] big = new byte[224];
    big[0] = 0x6a;
    big[1] = 0x4c;
    big[2] = (byte) 221;
    chronik.txs.put(TXID, tx(TXID, 500, 50_000_000, HexFormat.of().formatHex(big)));
    assertThat(reason(0, BurnPolicy.lotusSdkDefault()))
        .as("over 223 bytes")
        .isEqualTo(Reason.NOT_DATA_OUTPUT);

    chronik.txs.put(TXID, tx(TXID, 500, 49_999_999, ALICE_LTMS));
    assertThat(reason(0, BurnPolicy.ltmsIdentityRegistration())).isEqualTo(Reason.AMOUNT_TOO_LOW);

    chronik.txs.put(TXID, tx(TXID, 500, 50_000_000, BurnFormatsTest.V1_SCRIPT));
    BurnVerification swap = verify(0, BurnPolicy.ltmsIdentityRegistration());
    assertThat(swap)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(Reason.WRONG_PREFIX);
              assertThat(r.burn().lokad()).as("SwapSig burns carry no LOKAD prefix").isNull();
            });

    chronik.txs.put(TXID, tx(TXID, 500, 50_000_000, ALICE_LTMS.replace("0101", "0102")));
    assertThat(reason(0, BurnPolicy.ltmsIdentityRegistration())).isEqualTo(Reason.WRONG_VERSION);

    String offCurve = "6a044c544d53010121" + "02" + "00".repeat(31) + "05";
    chronik.txs.put(TXID, tx(TXID, 500, 50_000_000, offCurve));
    assertThat(reason(0, BurnPolicy.ltmsIdentityRegistration())).isEqualTo(Reason.INVALID_PAYLOAD);

    chronik.txs.put(TXID, tx(TXID, 1000, 50_000_000, ALICE_LTMS));
    assertThat(reason(0, BurnPolicy.ltmsIdentityRegistration())).isEqualTo(Reason.IMMATURE);
    assertThat(reason(0, BurnPolicy.builder().maturationPeriod(0).minConfirmations(3).build()))
        .isEqualTo(Reason.INSUFFICIENT_CONFIRMATIONS);
  }

  @Test
  void swapSigPolicy() throws Exception {
    chronik.txs.put(TXID, tx(TXID, 1000, 1000, BurnFormatsTest.V1_SCRIPT));
    assertThat(verify(0, SwapSigBurn.policy(1000, BurnFormatsTest.POOL, 1)).isAccepted()).isTrue();
    assertThat(reason(0, SwapSigBurn.policy(1000, "b2".repeat(32), 1)))
        .isEqualTo(Reason.INVALID_PAYLOAD);
    assertThat(reason(0, SwapSigBurn.policy(1000, BurnFormatsTest.POOL, 2)))
        .isEqualTo(Reason.INSUFFICIENT_CONFIRMATIONS);
  }

  @Test
  void tipBehindTxHeightClampsToZeroConfirmations() throws Exception {
    chronik.txs.put(TXID, tx(TXID, 1005, 1000, ALICE_LTMS));
    BurnVerification v = verify(0, BurnPolicy.builder().maturationPeriod(0).build());
    assertThat(v)
        .isInstanceOfSatisfying(
            Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(Reason.INSUFFICIENT_CONFIRMATIONS);
              assertThat(r.burn().confirmations()).isZero();
            });
  }

  @Test
  void networkFailureIsNotARejection() throws Exception {
    MockWebServer dead = new MockWebServer();
    dead.start();
    String url = base(dead);
    dead.shutdown();
    try (ChronikClient c =
        ChronikClient.builder().config(fastConfig(url).maxRetries(0).build()).build()) {
      assertThat(new BurnVerifier(c).verify(TXID, 0))
          .failsWithin(Duration.ofSeconds(10))
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(ChronikUnavailableException.class);
    }
    assertThatThrownBy(() -> verifier.verify("zz", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> verifier.verify(TXID, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
