package org.lotusia.chain.tx;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.ChronikScript;
import org.lotusia.chain.script.LokadData;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptChunk;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sign.TxSignatures;

/**
 * Fuzzes what a peer or a Chronik server hands over as a serialised transaction, and everything
 * that reads its scripts. The input is an 8-byte little-endian amount (the value of every spent
 * output) followed by the raw transaction; seeds are the transactions of the chain vectors.
 *
 * <p>Contract: parsing either fails with an {@link IllegalArgumentException} that says why, or the
 * transaction re-serialises to exactly the input bytes (so its size and txid are those of the
 * bytes received). For every script of a parsed transaction the template checks agree with each
 * other, the accessors of the recognised template work and the others refuse with {@link
 * IllegalStateException}, Chronik and address conversions fail only as documented and round-trip,
 * and the P2PKH verification of each input (signature and key from the input, spent output built
 * to match its key, so the fuzzer reaches the sighash and the signature check) returns a boolean
 * and never throws.
 */
class TransactionFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void serialisedTransaction(byte[] input) {
    check(input);
  }

  /** The seeds mean something: the signed setup transaction of the vectors verifies. */
  @Test
  void theSetupSeedParsesAndItsSignatureVerifies() throws IOException {
    byte[] seed;
    try (InputStream in =
        TransactionFuzzTest.class.getResourceAsStream(
            "TransactionFuzzTestInputs/serialisedTransaction/setup")) {
      seed = in.readAllBytes();
    }
    assertThat(check(seed)).containsExactly(true);
  }

  /** Checks one input; returns the P2PKH verification result of each input (empty if refused). */
  static List<Boolean> check(byte[] input) {
    if (input.length < 8) {
      return List.of();
    }
    long amount = 0;
    for (int i = 7; i >= 0; i--) {
      amount = (amount << 8) | (input[i] & 0xff);
    }
    byte[] raw = Arrays.copyOfRange(input, 8, input.length);
    Transaction tx;
    try {
      tx = Transaction.parse(raw);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      return List.of();
    }
    assertThat(tx.serialize()).as("re-serialisation").isEqualTo(raw);
    assertThat(tx.size()).isEqualTo(raw.length);
    assertThat(tx.txid()).hasSize(64);
    assertThat(Transaction.parse(tx.serialize())).isEqualTo(tx);
    tx.inputs().forEach(in -> checkScript(in.scriptSig()));
    tx.outputs().forEach(out -> checkScript(out.script()));
    return verifyEachInput(tx, amount);
  }

  private static List<Boolean> verifyEachInput(Transaction tx, long amount) {
    List<TxOutput> spent = new ArrayList<>();
    for (TxInput in : tx.inputs()) {
      // the spent output pays to the key the input presents, so the hash check passes
      List<ScriptChunk> chunks = in.scriptSig().tryChunks().orElse(List.of());
      byte[] key = chunks.size() == 2 && chunks.get(1).data() != null ? chunks.get(1).data() : null;
      Script script = Scripts.p2pkh(key == null ? new byte[20] : Hashes.hash160(key));
      spent.add(new TxOutput(Math.floorMod(amount, Amount.MAX_MONEY + 1), script));
    }
    List<Boolean> results = new ArrayList<>();
    for (int i = 0; i < tx.inputs().size() && i < 8; i++) {
      for (SigHashOptions options :
          new SigHashOptions[] {SigHashOptions.DEFAULT, SigHashOptions.REPLAY_PROTECTED}) {
        boolean ok =
            TxSignatures.verifyP2pkhInput(Secp256k1.defaultProvider(), tx, i, spent, options);
        if (options == SigHashOptions.DEFAULT) {
          results.add(ok);
        }
      }
    }
    return results;
  }

  /** The template checks, accessors and conversions of one script. */
  static void checkScript(Script s) {
    Optional<List<ScriptChunk>> chunks = s.tryChunks();
    if (chunks.isPresent()) {
      int total = 0;
      for (ScriptChunk c : chunks.get()) {
        total += c.dataLength() < 0 ? 1 : c.dataLength();
      }
      assertThat(total).isLessThanOrEqualTo(s.size());
    }
    int templates =
        (s.isP2pkh() ? 1 : 0)
            + (s.isP2sh() ? 1 : 0)
            + (s.isP2pk() ? 1 : 0)
            + (s.isP2tr() ? 1 : 0)
            + (s.isDataOut() ? 1 : 0);
    assertThat(templates).as("at most one template matches %s", s).isLessThanOrEqualTo(1);
    switch (s.type()) {
      case P2PKH, P2SH -> assertThat(s.hash160()).hasSize(20);
      case P2PK -> assertThat(s.p2pkPublicKey().length).isIn(33, 65);
      case P2TR -> {
        assertThat(s.taprootCommitment()).hasSize(33);
        s.taprootState().ifPresent(state -> assertThat(state).hasSize(32));
      }
      default -> {
        // nothing typed to read
      }
    }
    refusesUnlessTemplate(s.isP2pkh() || s.isP2sh(), s::hash160);
    refusesUnlessTemplate(s.isP2pk(), s::p2pkPublicKey);
    refusesUnlessTemplate(s.isP2tr(), s::taprootCommitment);
    ChronikScript chronik = s.chronikScript();
    assertThat(chronik.type()).isNotBlank();
    s.chronikStateScript();
    LokadData.parse(s).ifPresent(l -> assertThat(l.prefix()).hasSize(4));
    try {
      XAddress a = XAddress.fromScript(s, Network.MAINNET);
      assertThat(XAddress.decode(a.encode())).isEqualTo(a);
      assertThat(a.toScript()).isEqualTo(s);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  private static void refusesUnlessTemplate(boolean matches, Runnable accessor) {
    try {
      accessor.run();
      assertThat(matches).isTrue();
    } catch (IllegalStateException e) {
      assertThat(matches).isFalse();
    }
  }
}
