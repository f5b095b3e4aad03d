package org.lotusia.swapsig;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.crypto.DestinationCipher;
import org.lotusia.swapsig.crypto.PoolDigests;
import org.lotusia.swapsig.plan.PoolPlan;
import org.lotusia.swapsig.testing.MemoryNet;
import org.lotusia.swapsig.testing.PoolHarness;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.ParticipantDropped;
import org.lotusia.swapsig.wire.PoolAbort;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.PoolMessage;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.RegistrationAck;
import org.lotusia.swapsig.wire.Roster;
import org.lotusia.swapsig.wire.SetupSubmission;

/**
 * A hand-written participant that speaks the wire protocol with a funded input and valid keys, and
 * misbehaves as a test asks: it registers like anyone, then hands in nothing, or a setup
 * transaction with a wrong burn, or sends aborts it has no right to send.
 */
final class Rogue {

  private static final HexFormat HEX = HexFormat.of();

  final String peerId;
  final MemoryNet.Node node;
  final PrivateKey signerKey = PrivateKey.random(new SecureRandom());
  final PrivateKey inputKey = PrivateKey.random(new SecureRandom());
  final SwapInput input;
  final CompletableFuture<Roster> roster = new CompletableFuture<>();
  final CompletableFuture<RegistrationAck> ack = new CompletableFuture<>();
  private ParticipantRegistration registration;

  Rogue(PoolHarness h, String peerId) throws Exception {
    this.peerId = peerId;
    this.node = h.net.node(peerId);
    this.input = h.fund(inputKey);
    node.attachRaw(this::receive);
  }

  private void receive(String from, P2PMessage m) {
    if (SwapSigMessageTypes.ROSTER.equals(m.type())) {
      roster.complete(Roster.decode(m.payload()));
    } else if (SwapSigMessageTypes.REGISTRATION_ACK.equals(m.type())) {
      ack.complete(RegistrationAck.decode(m.payload()));
    }
  }

  /** Registers like an honest participant. */
  void register(PoolAnnouncement a) {
    register(a, input.outpoint(), input.output().value());
  }

  /**
   * Registers {@code coin} holding {@code amount}, with a valid ownership proof by this rogue's
   * input key, whatever the chain says of the coin.
   */
  void register(PoolAnnouncement a, org.lotusia.chain.tx.OutPoint coin, long amount) {
    byte[] salt = new byte[32];
    new SecureRandom().nextBytes(salt);
    Script dest = Scripts.p2pkh(PrivateKey.random(new SecureRandom()).publicKey());
    ParticipantRegistration unsigned =
        new ParticipantRegistration(
            a.poolId(),
            peerId,
            HEX.formatHex(signerKey.publicKeyBytes()),
            coin.txidHex(),
            coin.index(),
            HEX.formatHex(inputKey.publicKeyBytes()),
            amount,
            HEX.formatHex(
                inputKey.signSchnorr(PoolDigests.ownership(a.poolId(), coin, signerKey.publicKeyBytes()))),
            HEX.formatHex(PoolDigests.destinationCommitment(a.poolId(), dest.bytes(), salt)),
            HEX.formatHex(DestinationCipher.generate(new SecureRandom()).publicKey()),
            System.currentTimeMillis(),
            null);
    registration = ParticipantRegistration.decode(unsigned.signedJson(signerKey));
    send(a.creatorPeerId(), registration, signerKey);
  }

  /** Hands in a correctly built setup transaction except that it burns {@code burn} sats. */
  void submitSetupBurning(PoolAnnouncement a, Roster r, long burn) {
    List<ParticipantRegistration> ordered = RosterOrder.order(a.poolId(), r.participants());
    PoolPlan plan = RosterOrder.plan(a, ordered);
    int me = ordered.indexOf(registration);
    Transaction tx =
        new TransactionBuilder()
            .addP2pkhInput(input.outpoint(), input.output(), inputKey)
            .addOutput(plan.outputs().get(me).txOutput())
            .addOutput(new TxOutput(burn, plan.burnOutput().script()))
            .changeTo(input.script())
            .build()
            .transaction();
    SetupSubmission s =
        new SetupSubmission(
            a.poolId(), r.round(), me, registration.publicKey(), tx.txid(), tx.toHex(),
            System.currentTimeMillis(), null);
    send(a.creatorPeerId(), s, signerKey);
  }

  /** Spends its coin to a key of its own, straight into the simulator's mempool. */
  Transaction spendInputElsewhere(PoolHarness h) throws Exception {
    Transaction tx =
        new TransactionBuilder()
            .addP2pkhInput(input.outpoint(), input.output(), inputKey)
            .changeTo(Scripts.p2pkh(PrivateKey.random(new SecureRandom()).publicKey()))
            .build()
            .transaction();
    h.sim.ledger().submit(tx);
    return tx;
  }

  /**
   * Tells the creator that {@code accused} fails its checks, as the member {@code claimedKey},
   * signed by {@code signWith}.
   */
  void accuse(PoolAnnouncement a, Roster r, ParticipantRegistration accused, String claimedKey, PrivateKey signWith) {
    send(a.creatorPeerId(),
        new ParticipantDropped(a.poolId(), r.round(), accused.peerId(), accused.publicKey(),
            "input is spent", claimedKey, System.currentTimeMillis(), null),
        signWith);
  }

  /** Sends a pool-abort naming {@code claimedKey}, signed by {@code signWith}. */
  void sendAbort(String to, String poolId, String claimedKey, PrivateKey signWith) {
    send(to, new PoolAbort(poolId, "forged abort", claimedKey, System.currentTimeMillis(), null), signWith);
  }

  private void send(String to, PoolMessage m, PrivateKey key) {
    P2PMessage env =
        new P2PMessage(
            m.type(), peerId, null, m.signedJson(key), System.currentTimeMillis(),
            HEX.formatHex(new byte[] {1, 2, (byte) System.nanoTime()}) + System.nanoTime(), null,
            SwapSigMessageTypes.PROTOCOL);
    node.sendRaw(to, env);
  }
}
