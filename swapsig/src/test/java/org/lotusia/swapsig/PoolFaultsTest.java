package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.p2p.protocol.MessageJson;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.SetupComplete;
import org.lotusia.swapsig.wire.Roster;

/** Pools with a faulty or hostile participant, or a chain that restarts, on the simulator. */
class PoolFaultsTest {

  private static final Duration BLOCKS = Duration.ofMillis(400);
  private static final Duration MAX = Duration.ofSeconds(120);

  @Test
  void participantThatDisappearsAfterSetupLeavesEveryoneARefund(@TempDir Path journals) throws Exception {
    try (PoolHarness h = PoolHarness.startWithJournals(4, BLOCKS, journals)) {
      PoolHarness.Peer gone = h.participants.get(1);
      AtomicBoolean fired = new AtomicBoolean();
      gone.swaps.addListener(e -> {
        if (e instanceof SwapSigEvent.SetupComplete && fired.compareAndSet(false, true)) {
          h.net.silence(gone.peerId);
          CompletableFuture.runAsync(() -> {
            gone.swaps.close();
            gone.sessions.closeAsync();
          });
        }
      });
      PoolAnnouncement pool =
          h.createPool(PoolHarness.params(4).settlementTimeout(Duration.ofSeconds(8)).build());
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapHandle> others = List.of(handles.get(0), handles.get(2), handles.get(3));
      List<SwapOutcome> out = PoolHarness.outcomes(others, MAX);
      for (SwapOutcome o : out) {
        assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.REFUNDED);
        assertThat(o.amount()).isEqualTo(pool.params().refundAmount());
        assertThat(h.sim.ledger().tx(o.txid())).isPresent();
      }
      for (int i : new int[] {0, 2, 3}) {
        PoolHarness.Peer p = h.participants.get(i);
        // back at the input's script: the setup change plus the refund
        assertThat(h.balance(p.input.script()))
            .isGreaterThanOrEqualTo(PoolHarness.FUNDING - pool.params().denomination()
                - pool.params().burnAmount() - 400 + pool.params().refundAmount());
        assertThat(h.balance(p.destination)).isZero();
      }
      // the one that disappeared still has its shared output, which its input key can refund
      String setupOfGone =
          gone.events.stream()
              .filter(e -> e instanceof SwapSigEvent.SetupTxBroadcast s
                  && s.rawTx().contains(HexFormat.of().formatHex(gone.input.outpoint().txid())))
              .map(e -> ((SwapSigEvent.SetupTxBroadcast) e).txid())
              .findFirst()
              .orElseThrow();
      assertThat(h.sim.ledger().spendableCoin(OutPoint.fromDisplayHex(setupOfGone, 0))).isPresent();
      // it comes back with nothing but its refund journal: the manager refunds that output by itself
      PoolHarness.Peer back = h.restarted(gone);
      await().atMost(MAX).until(() ->
          back.events.stream().anyMatch(e -> e instanceof SwapSigEvent.RefundConfirmed));
      SwapSigEvent.RefundBroadcast refund =
          back.events.stream()
              .filter(e -> e instanceof SwapSigEvent.RefundBroadcast)
              .map(e -> (SwapSigEvent.RefundBroadcast) e)
              .findFirst()
              .orElseThrow();
      assertThat(refund.poolId()).isEqualTo(pool.poolId());
      assertThat(h.sim.ledger().spendableCoin(OutPoint.fromDisplayHex(setupOfGone, 0))).isEmpty();
      assertThat(h.sim.ledger().spendableCoin(OutPoint.fromDisplayHex(refund.txid(), 0)))
          .hasValueSatisfying(c -> {
            assertThat(c.output().value()).isEqualTo(pool.params().refundAmount());
            assertThat(c.output().script()).isEqualTo(gone.input.script());
          });
      // nothing is left to watch in any journal
      await().atMost(MAX).untilAsserted(() -> {
        for (PoolHarness.Peer p : h.participants) {
          try (var files = Files.list(journals.resolve(p.peerId))) {
            assertThat(files).as(p.peerId).isEmpty();
          }
        }
      });
      // the first to give up told the others, with a signed abort
      assertThat(h.participants.get(0).events.stream()
              .filter(e -> e instanceof SwapSigEvent.PoolAborted)
              .map(e -> ((SwapSigEvent.PoolAborted) e).reason()))
          .isNotEmpty();
    }
  }

  @Test
  void participantThatNeverFundsIsExcludedBeforeAnythingIsBroadcast() throws Exception {
    try (PoolHarness h = PoolHarness.start(4, BLOCKS)) {
      PoolAnnouncement pool =
          h.createPool(PoolHarness.params(4).participants(4, 5).setupTimeout(Duration.ofSeconds(5)).build());
      Rogue rogue = new Rogue(h, "never-funds");
      h.sim.mine(1);
      rogue.register(pool);
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, MAX);
      out.forEach(o -> assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED));
      assertThat(rogue.roster.get(10, TimeUnit.SECONDS).participants()).hasSize(5);
      assertExcluded(h, rogue, "no setup transaction");
      for (PoolHarness.Peer p : h.participants) {
        assertThat(h.balance(p.destination)).isEqualTo(pool.params().payoutAmount());
      }
      // the rogue's coin never moved
      assertThat(h.sim.ledger().spendableCoin(rogue.input.outpoint())).isPresent();
    }
  }

  @Test
  void participantWithAWrongBurnIsExcluded() throws Exception {
    try (PoolHarness h = PoolHarness.start(4, BLOCKS)) {
      PoolAnnouncement pool = h.createPool(PoolHarness.params(4).participants(4, 5).build());
      Rogue rogue = new Rogue(h, "wrong-burn");
      h.sim.mine(1);
      rogue.register(pool);
      rogue.roster.thenAccept(r -> rogue.submitSetupBurning(pool, r, pool.params().burnAmount() - 1));
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, MAX);
      out.forEach(o -> assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED));
      assertExcluded(h, rogue, "burns " + (pool.params().burnAmount() - 1) + " sats");
      assertThat(h.sim.ledger().spendableCoin(rogue.input.outpoint())).isPresent();
      // every burn of the pool that completed was verified through Chronik
      for (PoolHarness.Peer p : h.participants) {
        assertThat(p.events.stream().filter(e -> e instanceof SwapSigEvent.SetupConfirmed)).hasSize(4);
      }
    }
  }

  @Test
  void participantThatSpendsItsCoinBeforeSetupCompletesIsExcludedBeforeAnythingIsBroadcast() throws Exception {
    try (PoolHarness h = PoolHarness.start(4, BLOCKS)) {
      PoolAnnouncement pool = h.createPool(PoolHarness.params(4).participants(4, 5).build());
      Rogue rogue = new Rogue(h, "double-spender");
      h.sim.mine(1);
      rogue.register(pool);
      // it spends its coin once every honest member has checked the roster's coins and handed in
      // its setup transaction, so only the creator's last check before setup-complete can see it
      CompletableFuture<String> spent =
          rogue.roster.thenApplyAsync(r -> {
            try {
              await().atMost(MAX).until(() -> h.participants.stream().allMatch(p ->
                  p.events.stream().anyMatch(e -> e instanceof SwapSigEvent.RosterAccepted a && a.round() == 1)));
              String txid = rogue.spendInputElsewhere(h).txid();
              // a setup transaction the creator cannot fault offline, over a coin that is gone
              rogue.submitSetupBurning(pool, r, pool.params().burnAmount());
              return txid;
            } catch (Exception e) {
              throw new java.util.concurrent.CompletionException(e);
            }
          });
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, MAX);
      out.forEach(o -> assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED));
      assertThat(h.sim.ledger().tx(spent.get(10, TimeUnit.SECONDS))).isPresent();
      assertExcluded(h, rogue, "changed before the setup completed: input");
      for (PoolHarness.Peer p : h.participants) {
        assertThat(h.balance(p.destination)).isEqualTo(pool.params().payoutAmount());
        // only the second round's four setup transactions went out, and nobody needed a refund
        assertThat(p.events.stream().filter(e -> e instanceof SwapSigEvent.SetupTxBroadcast)).hasSize(4);
        assertThat(p.events.stream().filter(e -> e instanceof SwapSigEvent.RefundBroadcast)).isEmpty();
      }
    }
  }

  @Test
  void creatorThatWithholdsTheSetupAndBroadcastsItAfterEveryoneGaveUpLeavesEveryoneARefund() throws Exception {
    try (PoolHarness h = PoolHarness.start(3, BLOCKS)) {
      // the creator collects every signed setup transaction and keeps the set to itself
      h.net.drop(m -> m.from().equals(h.creator.peerId) && m.type().equals(SwapSigMessageTypes.SETUP_COMPLETE));
      PoolAnnouncement pool =
          h.createPool(PoolHarness.params(3).setupTimeout(Duration.ofSeconds(3)).build());
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, MAX);
      out.forEach(o -> assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.ABORTED));
      // then it broadcasts them, once every participant has given up
      String json =
          h.net.sent().stream()
              .filter(m -> m.type().equals(SwapSigMessageTypes.SETUP_COMPLETE))
              .findFirst()
              .orElseThrow()
              .json();
      byte[] bytes = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      SetupComplete withheld = SetupComplete.decode(MessageJson.parse(bytes, 0, bytes.length).payload());
      for (String raw : withheld.setupTxs()) {
        h.sim.ledger().submit(Transaction.fromHex(raw));
      }
      // every participant was still watching its coin, and refunds the shared output it funded
      await().atMost(MAX).until(() -> h.participants.stream().allMatch(p ->
          p.events.stream().anyMatch(e -> e instanceof SwapSigEvent.RefundConfirmed)));
      for (PoolHarness.Peer p : h.participants) {
        assertThat(h.balance(p.input.script()))
            .isGreaterThanOrEqualTo(PoolHarness.FUNDING - pool.params().denomination()
                - pool.params().burnAmount() - 400 + pool.params().refundAmount());
        assertThat(h.balance(p.destination)).isZero();
      }
    }
  }

  @Test
  void falseAccusationsExcludeNobodyButTheirAuthor() throws Exception {
    try (PoolHarness h = PoolHarness.start(4, BLOCKS)) {
      PoolAnnouncement pool =
          h.createPool(PoolHarness.params(4).participants(4, 5).setupTimeout(Duration.ofSeconds(5)).build());
      Rogue rogue = new Rogue(h, "accuser");
      String rogueKey = HexFormat.of().formatHex(rogue.signerKey.publicKeyBytes());
      h.sim.mine(1);
      rogue.register(pool);
      rogue.roster.thenAccept(r -> {
        List<ParticipantRegistration> honest =
            r.participants().stream().filter(m -> !m.publicKey().equals(rogueKey)).toList();
        for (ParticipantRegistration m : honest) {
          rogue.accuse(pool, r, m, rogueKey, rogue.signerKey);                  // as itself: checked, refuted
          rogue.accuse(pool, r, m, honest.get(0).publicKey(), rogue.signerKey); // as another member: forged
        }
      });
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, MAX);
      out.forEach(o -> assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED));
      // the only exclusion is the accuser's own, for handing in no setup transaction
      assertThat(h.creator.events.stream()
              .filter(e -> e instanceof SwapSigEvent.ParticipantExcluded)
              .map(e -> ((SwapSigEvent.ParticipantExcluded) e).signerKey()))
          .containsExactly(rogueKey);
      assertThat(h.creator.events.stream()
              .filter(e -> e instanceof SwapSigEvent.MessageRejected x && x.peerId().equals("accuser")))
          .hasSizeGreaterThanOrEqualTo(3);
      for (PoolHarness.Peer p : h.participants) {
        assertThat(h.balance(p.destination)).isEqualTo(pool.params().payoutAmount());
      }
    }
  }

  @Test
  void forgedAbortsAreIgnored() throws Exception {
    try (PoolHarness h = PoolHarness.start(3, BLOCKS)) {
      PoolAnnouncement pool = h.createPool(PoolHarness.params(3).build());
      Rogue rogue = new Rogue(h, "forger");
      List<SwapHandle> handles = h.joinAll(pool);
      await().atMost(MAX).until(() -> h.participants.stream().allMatch(p ->
          p.events.stream().anyMatch(e -> e instanceof SwapSigEvent.RosterAccepted)));
      PrivateKey own = PrivateKey.random(new SecureRandom());
      String ownKey = HexFormat.of().formatHex(own.publicKeyBytes());
      for (PoolHarness.Peer p : h.participants) {
        rogue.sendAbort(p.peerId, pool.poolId(), ownKey, own);                        // not a member
        rogue.sendAbort(p.peerId, pool.poolId(), pool.creatorPublicKey(), own);      // claims the creator
        rogue.sendAbort(p.peerId, pool.poolId(), handles.get(0).signerKey(), own);   // claims a member
      }
      rogue.sendAbort(h.creator.peerId, pool.poolId(), handles.get(1).signerKey(), own);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, MAX);
      out.forEach(o -> assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED));
      for (PoolHarness.Peer p : h.participants) {
        assertThat(p.events.stream()
                .filter(e -> e instanceof SwapSigEvent.MessageRejected r && r.peerId().equals("forger")))
            .hasSizeGreaterThanOrEqualTo(3);
        assertThat(p.events.stream().filter(e -> e instanceof SwapSigEvent.PoolAborted)).isEmpty();
      }
    }
  }

  /** The chain restarts as a participant enters a phase that waits on the chain. */
  @ParameterizedTest
  @EnumSource(names = {"SETUP_CONFIRM", "SETTLEMENT", "SETTLEMENT_CONFIRM"})
  void poolResumesAfterTheChainRestarts(SwapPhase at, @TempDir Path dir) throws Exception {
    try (PoolHarness h = PoolHarness.start(3, BLOCKS, dir.resolve("chain.bin"))) {
      AtomicBoolean restarted = new AtomicBoolean();
      CompletableFuture<Void> restart = new CompletableFuture<>();
      h.participants.get(0).swaps.addListener(e -> {
        if (e instanceof SwapSigEvent.PhaseChanged c && c.to() == at
            && restarted.compareAndSet(false, true)) {
          CompletableFuture.runAsync(() -> {
            try {
              h.restartSim();
              restart.complete(null);
            } catch (Exception x) {
              restart.completeExceptionally(x);
            }
          });
        }
      });
      PoolAnnouncement pool = h.createPool(PoolHarness.params(3).build());
      List<SwapHandle> handles = h.joinAll(pool);
      List<SwapOutcome> out = PoolHarness.outcomes(handles, MAX);
      restart.get(30, TimeUnit.SECONDS);
      out.forEach(o -> assertThat(o.status()).as(o.toString()).isEqualTo(SwapOutcome.Status.COMPLETED));
      for (PoolHarness.Peer p : h.participants) {
        assertThat(h.balance(p.destination)).isEqualTo(pool.params().payoutAmount());
      }
    }
  }

  private static void assertExcluded(PoolHarness h, Rogue rogue, String reason) {
    String key = HexFormat.of().formatHex(rogue.signerKey.publicKeyBytes());
    assertThat(h.creator.events.stream()
            .filter(e -> e instanceof SwapSigEvent.ParticipantExcluded x && x.signerKey().equals(key))
            .map(e -> ((SwapSigEvent.ParticipantExcluded) e).reason()))
        .anySatisfy(r -> assertThat(r).contains(reason));
    assertThat(h.participants.get(0).events.stream()
            .filter(e -> e instanceof SwapSigEvent.RosterAccepted r && r.round() == 2))
        .isNotEmpty();
  }
}
