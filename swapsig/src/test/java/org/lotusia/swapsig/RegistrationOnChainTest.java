package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.RegistrationAck;

/**
 * Registrations whose ownership proof verifies but whose coin does not stand up on the chain are
 * refused by the creator after asking Chronik, each with a reason: a coin the chain does not know, a
 * coin of another key, a wrong amount, a spent coin. An honest registration passes the same checks.
 */
class RegistrationOnChainTest {

  @Test
  void creatorChecksEveryRegisteredCoinOnTheChain() throws Exception {
    try (PoolHarness h = PoolHarness.start(1, Duration.ofMillis(400))) {
      PoolAnnouncement pool = h.createPool(PoolHarness.params(3).build());

      Rogue unknown = new Rogue(h, "rogue-unknown");
      unknown.register(pool, OutPoint.fromDisplayHex("ab".repeat(32), 0), PoolHarness.FUNDING);
      assertRefused(pool, unknown, "is unknown to the chain");

      Rogue thief = new Rogue(h, "rogue-thief");
      SwapInput victims = h.participants.get(0).input;
      thief.register(pool, victims.outpoint(), victims.output().value());
      assertRefused(pool, thief, "is not the P2PKH output of the registered key");

      Rogue inflated = new Rogue(h, "rogue-inflated");
      inflated.register(pool, inflated.input.outpoint(), PoolHarness.FUNDING + 1);
      assertRefused(pool, inflated, "sats, not the registered " + (PoolHarness.FUNDING + 1));

      Rogue spender = new Rogue(h, "rogue-spender");
      Transaction spend =
          new TransactionBuilder()
              .addP2pkhInput(spender.input.outpoint(), spender.input.output(), spender.inputKey)
              .changeTo(spender.input.script())
              .build()
              .transaction();
      h.sim.ledger().submit(spend);
      h.sim.mine(1);
      spender.register(pool, spender.input.outpoint(), spender.input.output().value());
      assertRefused(pool, spender, "is spent");

      Rogue honest = new Rogue(h, "honest");
      honest.register(pool);
      RegistrationAck ok = honest.ack.get(30, TimeUnit.SECONDS);
      assertThat(ok.accepted()).as(ok.reason()).isTrue();
      assertThat(ok.verify(pool.creatorPublicKey())).isTrue();
    }
  }

  private static void assertRefused(PoolAnnouncement pool, Rogue r, String reason) throws Exception {
    RegistrationAck ack = r.ack.get(30, TimeUnit.SECONDS);
    assertThat(ack.accepted()).isFalse();
    assertThat(ack.reason()).contains(reason);
    // the refusal is the creator's, signed
    assertThat(ack.verify(pool.creatorPublicKey())).isTrue();
  }
}
