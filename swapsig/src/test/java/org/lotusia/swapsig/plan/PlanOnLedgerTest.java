package org.lotusia.swapsig.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.chainsim.ledger.ChainParams;
import org.lotusia.chainsim.ledger.Ledger;
import org.lotusia.chainsim.ledger.TxEntry;
import org.lotusia.chainsim.ledger.TxRejectedException;
import org.lotusia.chainsim.wallet.SimWallet;
import org.lotusia.chainsim.wallet.TaprootRefundOutput;
import org.lotusia.musig2.crypto.AggregateNonce;
import org.lotusia.musig2.crypto.LotusKeyAggContext;
import org.lotusia.musig2.crypto.LotusMuSig2;
import org.lotusia.musig2.crypto.LotusSessionValues;
import org.lotusia.musig2.crypto.SecretNonce;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.swapsig.PoolParameters;

/**
 * The plan's transactions against the simulator's ledger and script interpreter (lotusd's rules):
 * setup, a settlement signed with MuSig2 under the refund tree's tweak, and a refund that is
 * refused before its lock and accepted after it.
 */
class PlanOnLedgerTest {

  private static final String POOL = "a1".repeat(32);
  private final SecureRandom random = new SecureRandom();
  private Ledger ledger;
  private SimWallet faucet;
  private PoolParameters params;
  private final List<PrivateKey> signers = new ArrayList<>();
  private final List<PrivateKey> inputs = new ArrayList<>();
  private final List<TxEntry> funding = new ArrayList<>();
  private PoolPlan plan;

  @BeforeEach
  void setUp() throws Exception {
    ChainParams cp = ChainParams.builder().coinbaseMaturity(5).build();
    PrivateKey fk = PrivateKey.random(random);
    ledger = new Ledger(cp, Clock.systemUTC(), Scripts.p2pkh(fk.publicKey()));
    faucet = new SimWallet(ledger, fk);
    for (int i = 0; i < 6; i++) {
      ledger.mine(faucet.script());
    }
    params = PoolParameters.builder(1_000_000).network(Network.REGTEST).refundLockBlocks(5).build();
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      signers.add(PrivateKey.random(random));
      PrivateKey in = PrivateKey.random(random);
      inputs.add(in);
      TxEntry paid = faucet.pay(Scripts.p2pkh(in.publicKey()), 1_100_000);
      funding.add(paid);
      members.add(new Member(signers.get(i).publicKeyBytes(), in.publicKeyBytes(), outpoint(paid, in)));
    }
    ledger.mine(faucet.script());
    plan = new PoolPlan(POOL, params, members);
  }

  @Test
  void sharedOutputIsTheAggregateKeyWithTheFundersRefundLeaf() {
    for (SharedOutput out : plan.outputs()) {
      var internal = org.lotusia.chain.crypto.Secp256k1.defaultProvider().decode(out.internalKey());
      var refundKey = inputs.get(out.funder()).publicKey();
      Script expected =
          new TaprootRefundOutput(internal, refundKey, params.refundLockBlocks())
              .outputScript(org.lotusia.chain.crypto.Secp256k1.defaultProvider());
      assertThat(out.script()).isEqualTo(expected);
      assertThat(out.signers()).containsExactly(out.index(), (out.index() + 1) % 3);
      assertThat(out.receiver()).isEqualTo((out.index() + 2) % 3);
    }
  }

  @Test
  void setupAndSettlementAreAcceptedByTheLedger() throws Exception {
    Transaction setup = setup(0);
    assertThat(SetupCheck.problem(plan, 0, setup, 1_100_000)).isEmpty();
    ledger.submit(setup);
    ledger.mine(faucet.script());

    Script dest = Scripts.p2pkh(PrivateKey.random(random).publicKey());
    Transaction unsigned = plan.settlement(0, setup.txid(), dest);
    byte[] msg = plan.settlementMessage(0, unsigned);
    SharedOutput out = plan.outputs().get(0);
    byte[] sig = sign(out, List.of(signers.get(0), signers.get(1)), msg);
    Transaction signed = TransactionSigning.withKeyPathSignature(unsigned, 0, sig);
    TxEntry e = ledger.submit(signed);
    assertThat(e.tx().outputs().get(0).value()).isEqualTo(params.payoutAmount());
    assertThat(signed.size()).isLessThanOrEqualTo(PoolParameters.SETTLEMENT_FEE_BYTES);
  }

  @Test
  void refundIsRefusedBeforeTheLockAndAcceptedAfterIt() throws Exception {
    Transaction setup = setup(1);
    ledger.submit(setup);
    ledger.mine(faucet.script());
    Script back = Scripts.p2pkh(inputs.get(1).publicKey());
    Transaction refund = plan.refund(1, setup.txid(), back, inputs.get(1));
    assertThatThrownBy(() -> ledger.submit(refund))
        .isInstanceOf(TxRejectedException.class)
        .hasMessageContaining("non-BIP68-final");
    for (int i = 0; i < params.refundLockBlocks() - 1; i++) {
      ledger.mine(faucet.script());
    }
    TxEntry e = ledger.submit(refund);
    assertThat(e.tx().outputs().get(0).value()).isEqualTo(params.refundAmount());
    assertThat(refund.size()).isLessThanOrEqualTo(PoolParameters.REFUND_FEE_BYTES);
  }

  @Test
  void refundByAnyoneButTheFunderIsRejected() {
    assertThatThrownBy(() -> plan.refund(1, "11".repeat(32), Script.empty(), inputs.get(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the refund key");
  }

  @Test
  void setupCheckRefusesWrongBurnsAndWrongOutputs() throws Exception {
    Transaction good = setup(2);
    assertThat(SetupCheck.problem(plan, 2, good, 1_100_000)).isEmpty();
    assertThat(SetupCheck.problem(plan, 1, good, 1_100_000)).get().asString().contains("registered input");
    TxOutput shared = plan.outputs().get(2).txOutput();
    TxOutput burn = plan.burnOutput();
    Transaction lowBurn = build(2, shared, new TxOutput(burn.value() - 1, burn.script()));
    assertThat(SetupCheck.problem(plan, 2, lowBurn, 1_100_000)).get().asString().contains("burns 999");
    Transaction otherPool =
        build(2, shared, new TxOutput(burn.value(), Script.of(org.lotusia.chain.burn.SwapSigBurn.script("b2".repeat(32)))));
    assertThat(SetupCheck.problem(plan, 2, otherPool, 1_100_000)).get().asString().contains("another pool");
    Transaction wrongAmount = build(2, new TxOutput(shared.value() - 1, shared.script()), burn);
    assertThat(SetupCheck.problem(plan, 2, wrongAmount, 1_100_000)).get().asString().contains("output 0");
    Optional<String> lowFee = SetupCheck.problem(plan, 2, good, good.outputValue() + 10);
    assertThat(lowFee).get().asString().contains("fee");
  }

  private Transaction setup(int i) {
    TxOutput spent = funding.get(i).tx().outputs().get((int) plan.members().get(i).input().index());
    BuiltTransaction b = plan.buildSetup(i, spent, inputs.get(i), Scripts.p2pkh(inputs.get(i).publicKey()));
    return b.transaction();
  }

  private Transaction build(int i, TxOutput shared, TxOutput burn) {
    TxOutput spent = funding.get(i).tx().outputs().get((int) plan.members().get(i).input().index());
    return new org.lotusia.chain.builder.TransactionBuilder()
        .addP2pkhInput(plan.members().get(i).input(), spent, inputs.get(i))
        .addOutput(shared)
        .addOutput(burn)
        .changeTo(Scripts.p2pkh(inputs.get(i).publicKey()))
        .build()
        .transaction();
  }

  private byte[] sign(SharedOutput out, List<PrivateKey> keys, byte[] msg) {
    LotusMuSig2 mu = LotusMuSig2.withDefaultProvider();
    LotusKeyAggContext ctx = mu.taproot(mu.keyAgg(out.signerKeys()), out.merkleRoot());
    List<SecretNonce> nonces = new ArrayList<>();
    for (PrivateKey k : keys) {
      nonces.add(mu.nonceGen(k.toBytes(), ctx, msg, null, random));
    }
    AggregateNonce agg = mu.nonceAgg(nonces.stream().map(SecretNonce::publicNonce).toList());
    LotusSessionValues v = mu.sessionValues(ctx, agg, msg);
    List<byte[]> partials = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      partials.add(mu.partialSign(nonces.get(i), keys.get(i).toBytes(), ctx, v));
    }
    return mu.aggregate(partials, ctx, v);
  }

  private static OutPoint outpoint(TxEntry paid, PrivateKey key) {
    Script s = Scripts.p2pkh(key.publicKey());
    for (int i = 0; i < paid.tx().outputs().size(); i++) {
      if (paid.tx().outputs().get(i).script().equals(s)) {
        return OutPoint.fromDisplayHex(paid.txid(), i);
      }
    }
    throw new IllegalStateException(HexFormat.of().formatHex(s.bytes()));
  }
}
