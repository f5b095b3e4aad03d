package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.swapsig.testing.PoolHarness;

/**
 * A restarted manager with journal entries whose funds never reached a pool: it drops each entry
 * once the chain shows nothing can move its coin into the pool any more, keeps watching one that
 * may still be funded, and never uses an entry whose refund does not match it. (The refund of a funded entry is proven in
 * {@link PoolFaultsTest}.)
 */
class RefundRecoveryTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void entriesOfCoinsThatNeverReachedAPoolAreDroppedOthersKept(@TempDir Path journals) throws Exception {
    try (PoolHarness h = PoolHarness.startWithJournals(1, Duration.ofMillis(400), journals)) {
      PoolHarness.Peer p = h.participants.get(0);
      SwapInput spentElsewhere = h.fund(PrivateKey.random(RANDOM));
      SwapInput stillWaiting = h.fund(PrivateKey.random(RANDOM));
      h.sim.mine(1);
      h.sim.ledger().submit(spend(spentElsewhere));
      long now = System.currentTimeMillis();
      RefundJournal j = new RefundJournal(journals.resolve(p.peerId));
      // the coin is unspent and the guard has passed: nobody can fund the pool with it any more
      j.record(entry("a1", p.input, randomTxid(), now - 1_000));
      // the coin went to another transaction: the setup transaction can never confirm
      j.record(entry("c3", spentElsewhere, randomTxid(), now + 3_600_000));
      // the coin is unspent within the guard: the setup transaction may still be broadcast
      j.record(entry("b2", stillWaiting, randomTxid(), now + 3_600_000));
      // a refund that does not spend its setup transaction is never broadcast and never deleted
      RefundJournal.Entry good = entry("d4", stillWaiting, randomTxid(), now - 1_000);
      j.record(new RefundJournal.Entry(
          good.poolId(), good.round(), good.inputTxid(), good.inputIndex(), randomTxid(), good.refundTx(),
          good.refundAmount(), good.lockBlocks(), good.confirmations(), good.guardUntil()));

      PoolHarness.Peer back = h.restarted(p);
      Path dir = journals.resolve(p.peerId);
      await().atMost(Duration.ofSeconds(60)).until(() ->
          !Files.exists(dir.resolve("a1-1.json")) && !Files.exists(dir.resolve("c3-1.json")));
      assertThat(dir.resolve("b2-1.json")).exists();
      // still watched: once its coin goes elsewhere too, its entry goes
      h.sim.ledger().submit(spend(stillWaiting));
      await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(dir.resolve("b2-1.json")));
      assertThat(dir.resolve("d4-1.json")).exists();
      assertThat(back.events).noneMatch(e -> e instanceof SwapSigEvent.RefundBroadcast);
    }
  }

  private static RefundJournal.Entry entry(String pool, SwapInput coin, String setupTxid, long guardUntil) {
    Script to = coin.script();
    Transaction refund =
        new Transaction(
            Transaction.CURRENT_VERSION,
            List.of(new TxInput(OutPoint.fromDisplayHex(setupTxid, 0), Script.empty(), 8)),
            List.of(new TxOutput(999_000, to)),
            0);
    return new RefundJournal.Entry(
        pool, 1, coin.outpoint().txidHex(), (int) coin.outpoint().index(), setupTxid, refund.toHex(),
        999_000, 8, 1, guardUntil);
  }

  private static Transaction spend(SwapInput coin) {
    return new TransactionBuilder()
        .addP2pkhInput(coin.outpoint(), coin.output(), coin.key())
        .changeTo(Scripts.p2pkh(PrivateKey.random(RANDOM).publicKey()))
        .build()
        .transaction();
  }

  private static String randomTxid() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
