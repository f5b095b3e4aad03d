package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.chronik.ChronikOutPoint;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.ChronikTxOutput;
import org.lotusia.chain.chronik.UtxoState;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.script.Scripts;
import org.lotusia.swapsig.crypto.PoolDigests;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.ParticipantRegistration;

/**
 * Checks a registration: its signature by the participant's signer key, the ownership proof by
 * the input's key, the amount the pool needs, and on chain (through Chronik) that the input exists,
 * is the input key's P2PKH output of exactly the registered value and is unspent. The creator
 * runs it on every registration; every participant runs it again on every member of a roster.
 */
final class RegistrationCheck {

  private static final HexFormat HEX = HexFormat.of();

  private RegistrationCheck() {}

  /** What is wrong without looking at the chain, or empty. */
  static Optional<String> offline(ParticipantRegistration r, PoolAnnouncement a) {
    if (!r.poolId().equals(a.poolId())) {
      return Optional.of("registration is for another pool");
    }
    if (!r.verify(r.publicKey())) {
      return Optional.of("registration signature does not verify under its signer key");
    }
    byte[] digest = PoolDigests.ownership(a.poolId(), r.input(), r.signerKey());
    if (!LotusSchnorr.verify(
        HEX.parseHex(r.ownershipProof()), HEX.parseHex(r.inputPublicKey()), digest)) {
      return Optional.of("ownership proof does not verify under the input key");
    }
    if (r.inputAmount() < a.params().requiredInput()) {
      return Optional.of(
          "input of "
              + r.inputAmount()
              + " sats is below the "
              + a.params().requiredInput()
              + " the pool needs (denomination, burn and setup fee)");
    }
    if (r.publicKey().equals(r.inputPublicKey())) {
      return Optional.of("signer key must not be the input key");
    }
    return Optional.empty();
  }

  /**
   * Checks the inputs of registrations on chain, all at once.
   *
   * @return per registration, what is wrong, or empty; fails only when Chronik cannot be reached
   */
  static CompletableFuture<List<Optional<String>>> onChain(ChainOps chain, List<ParticipantRegistration> regs) {
    List<CompletableFuture<Optional<Tx>>> txs = new ArrayList<>();
    List<ChronikOutPoint> outpoints = new ArrayList<>();
    for (ParticipantRegistration r : regs) {
      txs.add(chain.tx(r.inputTxId()));
      outpoints.add(new ChronikOutPoint(r.inputTxId(), (int) Math.min(r.inputIndex(), Integer.MAX_VALUE)));
    }
    CompletableFuture<List<UtxoState>> states = chain.utxoStates(outpoints);
    return CompletableFuture.allOf(txs.toArray(CompletableFuture[]::new))
        .thenCombine(
            states,
            (v, st) -> {
              List<Optional<String>> out = new ArrayList<>();
              for (int i = 0; i < regs.size(); i++) {
                out.add(problem(regs.get(i), txs.get(i).join(), st.get(i)));
              }
              return out;
            });
  }

  private static Optional<String> problem(ParticipantRegistration r, Optional<Tx> tx, UtxoState state) {
    if (tx.isEmpty()) {
      return Optional.of("input transaction " + r.inputTxId() + " is unknown to the chain");
    }
    List<ChronikTxOutput> outs = tx.get().outputs();
    if (r.inputIndex() >= outs.size()) {
      return Optional.of("input " + r.input() + " does not exist");
    }
    ChronikTxOutput o = outs.get((int) r.inputIndex());
    String want = Scripts.p2pkh(Hashes.hash160(HEX.parseHex(r.inputPublicKey()))).toHex();
    if (!o.outputScript().equals(want)) {
      return Optional.of("input " + r.input() + " is not the P2PKH output of the registered key");
    }
    if (o.value() != r.inputAmount()) {
      return Optional.of(
          "input " + r.input() + " holds " + o.value() + " sats, not the registered " + r.inputAmount());
    }
    if (state.state() != UtxoState.Variant.UNSPENT) {
      return Optional.of("input " + r.input() + " is " + state.state().name().toLowerCase(java.util.Locale.ROOT));
    }
    return Optional.empty();
  }
}
