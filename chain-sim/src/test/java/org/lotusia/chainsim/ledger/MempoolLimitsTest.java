package org.lotusia.chainsim.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.wallet.SimWallet;

/** The mempool's bounds hold against a flood: count, and the chain of unconfirmed ancestors. */
class MempoolLimitsTest {

  private final PrivateKey key = PrivateKey.random(new SecureRandom());

  private Ledger ledger(ChainParams p) {
    Ledger l = new Ledger(p, new SteppingClock(Instant.parse("2026-01-01T00:00:00Z")), Scripts.p2pkh(key.publicKey()));
    for (int i = 0; i < p.coinbaseMaturity(); i++) {
      l.mine(Scripts.p2pkh(key.publicKey()));
    }
    return l;
  }

  @Test
  void fullMempoolRefusesWithoutLosingAcceptedTransactions() throws Exception {
    try (Ledger l = ledger(ChainParams.builder().coinbaseMaturity(1).mempoolLimits(3, 1 << 20).build())) {
      SimWallet w = new SimWallet(l, key);
      for (int i = 0; i < 3; i++) {
        w.pay(Scripts.p2pkh(key.publicKey()), 1_000_000);
      }
      TxRejectedException e =
          assertThrows(TxRejectedException.class, () -> w.pay(Scripts.p2pkh(key.publicKey()), 1_000_000));
      assertThat(e.reason()).isEqualTo("mempool full");
      assertThat(l.mempool()).hasSize(3);
      l.mine(Scripts.p2pkh(key.publicKey()));
      assertThat(l.mempool()).isEmpty();
      assertThat(l.tip().txs()).hasSize(4);
    }
  }

  @Test
  void longUnconfirmedChainIsRefused() throws Exception {
    try (Ledger l = ledger(ChainParams.builder().coinbaseMaturity(1).maxAncestors(3).build())) {
      SimWallet w = new SimWallet(l, key);
      TxEntry parent = w.pay(Scripts.p2pkh(key.publicKey()), 100_000_000);
      long value = 100_000_000;
      for (int depth = 2; depth <= 4; depth++) {
        OutPoint prev = new OutPoint(parent.tx().txidBytes(), 0);
        TxOutput spent = parent.tx().outputs().get(0);
        value -= 1000;
        Transaction child =
            Spends.p2pkh(key, prev, spent, List.of(new TxOutput(value, Scripts.p2pkh(key.publicKey()))), 0xffffffffL, 0, 0x41);
        if (depth <= 3) {
          parent = l.submit(child);
        } else {
          TxRejectedException e = assertThrows(TxRejectedException.class, () -> l.submit(child));
          assertThat(e.reason()).isEqualTo("too-long-mempool-chain");
        }
      }
    }
  }
}
