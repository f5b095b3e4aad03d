package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.swapsig.plan.RingLayout;
import org.lotusia.swapsig.testing.MemoryNet;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;

/**
 * Whole pools on the chain simulator: every participant ends with exactly one output of the payout
 * at its destination, every transaction the pool broadcast was accepted (validated) by the
 * simulator and mined, and nothing in the pool's own data links an input to its output by amount
 * or script.
 */
class PoolSizesTest {

  @ParameterizedTest(name = "{0} participants")
  @ValueSource(ints = {3, 5, 10, 20})
  void poolCompletes(int n) throws Exception {
    try (PoolHarness h = PoolHarness.start(n, Duration.ofMillis(400))) {
      PoolAnnouncement pool = h.createPool(PoolHarness.params(n).build());
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, Duration.ofSeconds(120));
      PoolParameters p = pool.params();

      for (SwapOutcome o : out) {
        assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED);
        assertThat(o.amount()).isEqualTo(p.payoutAmount());
      }
      // the pool was withdrawn from the DHT when its roster closed: nobody finds it to join any more
      await().atMost(Duration.ofSeconds(30)).until(() ->
          h.creator.node.swapNetwork().findResource(SwapSigMessageTypes.POOL_RESOURCE, pool.poolId())
              .join().isEmpty());
      // the phase machine of reference 1.4, with its events, at every participant
      for (PoolHarness.Peer peer : h.participants) {
        List<SwapPhase> phases = new ArrayList<>();
        List<Class<?>> kinds = new ArrayList<>();
        for (SwapSigEvent e : peer.events) {
          kinds.add(e.getClass());
          if (e instanceof SwapSigEvent.PhaseChanged c && !c.creator()) {
            phases.add(c.to());
          }
        }
        assertThat(phases).as(peer.peerId).containsExactly(
            SwapPhase.REGISTRATION, SwapPhase.SETUP, SwapPhase.SETUP_CONFIRM, SwapPhase.REVEAL,
            SwapPhase.SETTLEMENT, SwapPhase.SETTLEMENT_CONFIRM, SwapPhase.COMPLETE);
        assertThat(kinds).as(peer.peerId).containsSubsequence(
            SwapSigEvent.PoolJoined.class, SwapSigEvent.RosterAccepted.class, SwapSigEvent.SetupTxBroadcast.class,
            SwapSigEvent.SetupConfirmed.class, SwapSigEvent.SetupComplete.class, SwapSigEvent.RevealComplete.class,
            SwapSigEvent.SettlementSigned.class, SwapSigEvent.PoolComplete.class);
      }

      // exactly one output of the payout at each destination
      for (PoolHarness.Peer peer : h.participants) {
        var coins = h.sim.ledger().unspentFor(peer.destination);
        assertThat(coins).hasSize(1);
        assertThat(coins.get(0).getValue().output().value()).isEqualTo(p.payoutAmount());
      }

      // every transaction the pool broadcast was validated by the simulator and is mined
      List<Transaction> setups = new ArrayList<>();
      List<Transaction> settlements = new ArrayList<>();
      for (SwapSigEvent e : h.participants.get(0).events) {
        if (e instanceof SwapSigEvent.SetupTxBroadcast s) {
          setups.add(Transaction.fromHex(s.rawTx()));
        }
      }
      assertThat(setups).hasSize(n);
      for (PoolHarness.Peer peer : h.participants) {
        for (SwapSigEvent e : peer.events) {
          if (e instanceof SwapSigEvent.SettlementTxBroadcast s) {
            settlements.add(Transaction.fromHex(s.rawTx()));
          }
        }
      }
      Set<String> settled = new HashSet<>();
      settlements.forEach(t -> settled.add(t.txid()));
      assertThat(settled).hasSize(n);
      for (Transaction t : setups) {
        assertMined(h, t.txid());
      }
      for (String txid : settled) {
        assertMined(h, txid);
      }

      // no link by amount: every shared output and every payout has the same value; a payout
      // transaction has one input and one output (no change to follow)
      for (Transaction t : setups) {
        assertThat(t.outputs().get(0).value()).isEqualTo(p.denomination());
        assertThat(t.outputs().get(0).script().isP2tr()).isTrue();
      }
      for (Transaction t : settlements) {
        assertThat(t.inputs()).hasSize(1);
        assertThat(t.outputs()).hasSize(1);
        assertThat(t.outputs().get(0).value()).isEqualTo(p.payoutAmount());
      }

      // no participant is paid from an output it signs or funds
      RingLayout ring = new RingLayout(n);
      for (int o = 0; o < n; o++) {
        assertThat(ring.isSigner(ring.receiver(o), o)).isFalse();
        assertThat(ring.funder(o)).isNotEqualTo(ring.receiver(o));
      }

      // no link by script: no destination appears in clear anywhere in what the pool sent
      HexFormat hex = HexFormat.of();
      List<String> sent = new ArrayList<>();
      for (MemoryNet.Sent s : h.net.sent()) {
        sent.add(s.json().toLowerCase());
      }
      for (PoolHarness.Peer peer : h.participants) {
        byte[] script = peer.destination.bytes();
        String scriptHex = hex.formatHex(script);
        String hashHex = hex.formatHex(Hashes.hash160(peer.destinationKey.publicKeyBytes()));
        String address = XAddress.fromScript(peer.destination, p.network()).encode().toLowerCase();
        for (String m : sent) {
          assertThat(m).doesNotContain(scriptHex).doesNotContain(hashHex).doesNotContain(address);
        }
        // and no destination is any participant's input or change script
        for (Transaction t : setups) {
          for (TxOutput o : t.outputs()) {
            assertThat(o.script()).isNotEqualTo(peer.destination);
          }
        }
      }
    }
  }

  private static void assertMined(PoolHarness h, String txid) {
    TxEntry e = h.sim.ledger().tx(txid).orElseThrow(() -> new AssertionError("unknown tx " + txid));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !h.sim.ledger().tx(txid).orElseThrow().inMempool());
    assertThat(e).isNotNull();
  }
}
