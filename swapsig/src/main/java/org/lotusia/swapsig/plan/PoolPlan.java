package org.lotusia.swapsig.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import org.lotusia.chain.builder.BuiltTransaction;
import org.lotusia.chain.builder.TransactionBuilder;
import org.lotusia.chain.burn.SwapSigBurn;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.sighash.SigHashType;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.musig2.p2p.TransactionSigning;
import org.lotusia.swapsig.PoolParameters;

/**
 * Every transaction of a pool, derived from its terms and its members in their deterministic
 * order; each participant computes the same plan on its own. I/O-free and immutable.
 *
 * <ul>
 *   <li>setup of participant {@code i}: its registered input → {@code denomination} to shared
 *       output {@code i}, the burn (lotus-sdk's {@code SWAPSIG_BURN} script with the pool ID), and
 *       change back to the participant;
 *   <li>settlement of output {@code i}: the shared output → {@link PoolParameters#payoutAmount()}
 *       to the destination of participant {@code i-1}, signed by the group with MuSig2 on the
 *       Taproot key path (SIGHASH_LOTUS, hash type 0x61);
 *   <li>refund of output {@code i}: the shared output, once {@code refundLockBlocks} deep, →
 *       {@link PoolParameters#refundAmount()} to its funder, signed by the funder's input key on
 *       the refund leaf.
 * </ul>
 */
public final class PoolPlan {

  private final String poolId;
  private final PoolParameters params;
  private final List<Member> members;
  private final RingLayout layout;
  private final List<SharedOutput> outputs;

  /**
   * @param poolId the pool ID, 64 hex characters
   * @param params the pool's terms
   * @param members the participants in their deterministic order
   * @throws IllegalArgumentException for a bad pool ID, fewer than 3 members or repeated keys
   */
  public PoolPlan(String poolId, PoolParameters params, List<Member> members) {
    if (poolId == null || !poolId.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("pool ID must be 64 lowercase hex characters");
    }
    this.poolId = poolId;
    this.params = Objects.requireNonNull(params, "params");
    this.members = List.copyOf(members);
    this.layout = new RingLayout(members.size());
    HexFormat hex = HexFormat.of();
    if (members.stream().map(m -> hex.formatHex(m.signerKey())).distinct().count() != members.size()) {
      throw new IllegalArgumentException("every member needs its own signer key");
    }
    List<SharedOutput> outs = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      outs.add(sharedOutput(i));
    }
    this.outputs = Collections.unmodifiableList(outs);
  }

  private SharedOutput sharedOutput(int i) {
    List<Integer> signers = layout.group(i);
    List<byte[]> keys = signers.stream().map(k -> members.get(k).signerKey()).toList();
    RefundLeaf leaf = new RefundLeaf(members.get(i).inputKey(), params.refundLockBlocks());
    byte[] internal = TransactionSigning.aggregateKey(keys);
    Script script = TransactionSigning.taprootOutputScript(keys, leaf.leafHash());
    return new SharedOutput(
        i, i, layout.receiver(i), signers, keys, internal, leaf, script, params.denomination());
  }

  /** The pool ID. */
  public String poolId() {
    return poolId;
  }

  /** The terms. */
  public PoolParameters params() {
    return params;
  }

  /** Who funds, signs and receives what. */
  public RingLayout layout() {
    return layout;
  }

  /** The members in order. */
  public List<Member> members() {
    return members;
  }

  /** The shared outputs, by index. */
  public List<SharedOutput> outputs() {
    return outputs;
  }

  /** The burn output every setup transaction carries. */
  public TxOutput burnOutput() {
    return new TxOutput(params.burnAmount(), Script.of(SwapSigBurn.script(poolId)));
  }

  /**
   * Builds and signs participant {@code index}'s setup transaction.
   *
   * @param index the participant
   * @param spent the registered input's output
   * @param inputKey the key of that P2PKH output
   * @param change where the change goes
   * @return the signed transaction
   * @throws IllegalArgumentException if the key or input does not match the registration
   * @throws org.lotusia.chain.builder.InsufficientFundsException if the input is too small
   */
  public BuiltTransaction buildSetup(int index, TxOutput spent, PrivateKey inputKey, Script change) {
    Member m = members.get(index);
    if (!java.util.Arrays.equals(inputKey.publicKeyBytes(), m.inputKey())) {
      throw new IllegalArgumentException("key is not the registered input key of participant " + index);
    }
    return new TransactionBuilder()
        .addP2pkhInput(m.input(), spent, inputKey)
        .addOutput(outputs.get(index).txOutput())
        .addOutput(burnOutput())
        .changeTo(change)
        .feePerKb(params.feePerKb())
        .build();
  }

  /**
   * The unsigned settlement of an output.
   *
   * @param output the shared output
   * @param setupTxid the displayed txid of the funder's setup transaction
   * @param destination the receiver's destination script
   * @return the transaction, input script empty
   */
  public Transaction settlement(int output, String setupTxid, Script destination) {
    OutPoint prev = OutPoint.fromDisplayHex(setupTxid, 0);
    return new Transaction(
        Transaction.CURRENT_VERSION,
        List.of(TxInput.unsigned(prev)),
        List.of(new TxOutput(params.payoutAmount(), destination)),
        0);
  }

  /** The output spent by a settlement or refund of {@code output}, for SIGHASH_LOTUS. */
  public List<TxOutput> spent(int output) {
    return List.of(outputs.get(output).txOutput());
  }

  /** What the group signs for a settlement: SIGHASH_LOTUS 0x61 of its one input. */
  public byte[] settlementMessage(int output, Transaction unsignedSettlement) {
    return TransactionSigning.keyPathMessage(unsignedSettlement, spent(output), 0);
  }

  /**
   * The signed refund of an output by its funder's input key on the refund leaf.
   *
   * @param output the shared output
   * @param setupTxid its setup transaction
   * @param to where the refund goes
   * @param inputKey the funder's input key
   * @return the signed transaction; valid once the output is {@code refundLockBlocks} deep
   */
  public Transaction refund(int output, String setupTxid, Script to, PrivateKey inputKey) {
    SharedOutput out = outputs.get(output);
    if (!java.util.Arrays.equals(inputKey.publicKeyBytes(), out.refundLeaf().refundKey())) {
      throw new IllegalArgumentException("key is not the refund key of output " + output);
    }
    OutPoint prev = OutPoint.fromDisplayHex(setupTxid, 0);
    Transaction tx =
        new Transaction(
            Transaction.CURRENT_VERSION,
            List.of(new TxInput(prev, Script.empty(), params.refundLockBlocks())),
            List.of(new TxOutput(params.refundAmount(), to)),
            0);
    byte[] digest =
        new SigHasher(tx, spent(output))
            .lotus(0, SigHashType.ALL_LOTUS, out.refundLeaf().leafHash(), 0xffffffffL);
    byte[] sig = java.util.Arrays.copyOf(inputKey.signSchnorr(digest), 65);
    sig[64] = (byte) SigHashType.ALL_LOTUS;
    return tx.withInputScript(0, out.refundLeaf().inputScript(sig, out.internalKey()));
  }
}
