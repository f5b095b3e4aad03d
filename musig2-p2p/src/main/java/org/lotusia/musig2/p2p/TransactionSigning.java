package org.lotusia.musig2.p2p;

import java.util.List;
import java.util.Objects;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptChunk;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.taproot.LotusTaproot;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;
import org.lotusia.musig2.crypto.LotusKeyAggContext;
import org.lotusia.musig2.crypto.LotusMuSig2;
import org.lotusia.musig2.crypto.LotusMuSig2Taproot;

/**
 * Between Lotus transactions and MuSig2 sessions, for Lotus Taproot key-path spends by n signers:
 * the output script to pay to, the message a session signs (the SIGHASH_LOTUS digest with hash type
 * {@code 0x61}, which commits to every spent output), and the spending input script built from the
 * session's final signature ({@code sig || 0x61}, never lotus-sdk's {@code 0x00}). The transaction
 * itself is built and serialised by blockchain-utils' {@code TransactionBuilder}. Stateless,
 * thread-safe.
 *
 * <p>Typical use: the creator builds the unsigned transaction, computes {@link #keyPathMessage} and
 * creates a session with {@link SessionOptions.Builder#taproot()}; each joiner builds or receives
 * the same transaction, computes the message itself and joins with it as the expected message; the
 * broadcaster puts the result into the input with {@link #withKeyPathSignature} and broadcasts it.
 */
public final class TransactionSigning {

  private TransactionSigning() {}

  /**
   * The Lotus Taproot output script {@code 62 51 21 <Q'>} of a key-path-only output owned by the
   * signers together.
   *
   * @param signerKeys the signers' 33-byte keys, any order
   * @return the output script
   */
  public static Script taprootOutputScript(List<byte[]> signerKeys) {
    return taprootOutputScript(signerKeys, new byte[32]);
  }

  /**
   * The Lotus Taproot output script of an output with a script tree owned by the signers.
   *
   * @param signerKeys the signers' keys
   * @param merkleRoot the script tree's merkle root (32 bytes)
   * @return the output script
   */
  public static Script taprootOutputScript(List<byte[]> signerKeys, byte[] merkleRoot) {
    LotusMuSig2 lotus = LotusMuSig2.withDefaultProvider();
    LotusKeyAggContext ctx = lotus.taproot(lotus.keyAgg(signerKeys), merkleRoot);
    return LotusMuSig2Taproot.outputScript(ctx);
  }

  /**
   * The 33-byte aggregate key of a plain session (what a plain session's signature verifies
   * under, with {@code LotusSchnorr.verify}).
   *
   * @param signerKeys the signers' keys, any order
   * @return the aggregate key
   */
  public static byte[] aggregateKey(List<byte[]> signerKeys) {
    return LotusMuSig2.withDefaultProvider().keyAgg(signerKeys).aggregateKey().encodeCompressed();
  }

  /**
   * The message a session signs to spend a Taproot output by its key path.
   *
   * @param unsigned the transaction with the input still unsigned
   * @param spentOutputs the output each input spends, in input order (SIGHASH_LOTUS commits to
   *     all of them)
   * @param inputIndex the input to sign
   * @return the 32-byte SIGHASH_LOTUS digest with hash type 0x61
   * @throws IllegalArgumentException if the spent output of that input is not a Taproot output
   */
  public static byte[] keyPathMessage(
      Transaction unsigned, List<TxOutput> spentOutputs, int inputIndex) {
    return keyPathMessage(unsigned, spentOutputs, inputIndex, SigHashOptions.DEFAULT);
  }

  /**
   * As {@link #keyPathMessage(Transaction, List, int)} with explicit sighash options.
   *
   * @param unsigned the transaction
   * @param spentOutputs the spent outputs in input order
   * @param inputIndex the input
   * @param options fork ID and replay protection
   * @return the digest
   */
  public static byte[] keyPathMessage(
      Transaction unsigned, List<TxOutput> spentOutputs, int inputIndex, SigHashOptions options) {
    Objects.requireNonNull(unsigned, "unsigned");
    if (spentOutputs == null || spentOutputs.size() != unsigned.inputs().size()) {
      throw new IllegalArgumentException(
          "SIGHASH_LOTUS needs the spent output of every input: "
              + unsigned.inputs().size()
              + " inputs, "
              + (spentOutputs == null ? 0 : spentOutputs.size())
              + " spent outputs");
    }
    if (inputIndex < 0 || inputIndex >= spentOutputs.size()) {
      throw new IllegalArgumentException("input index " + inputIndex + " out of range");
    }
    if (!spentOutputs.get(inputIndex).script().isP2tr()) {
      throw new IllegalArgumentException(
          "input " + inputIndex + " does not spend a Lotus Taproot output");
    }
    return new SigHasher(unsigned, spentOutputs, options)
        .lotus(inputIndex, LotusTaproot.KEY_PATH_SIGHASH);
  }

  /**
   * Puts a session's final signature into the spending input.
   *
   * @param unsigned the transaction
   * @param inputIndex the input the session signed
   * @param signature64 the session's final signature
   * @return the transaction with the key-path input script {@code <sig || 0x61>}
   */
  public static Transaction withKeyPathSignature(
      Transaction unsigned, int inputIndex, byte[] signature64) {
    return unsigned.withInputScript(inputIndex, LotusMuSig2Taproot.keyPathInputScript(signature64));
  }

  /**
   * Verifies a key-path spend with the chain module's Taproot verification.
   *
   * @param signed the transaction
   * @param spentOutputs the spent outputs in input order
   * @param inputIndex the input to check
   * @return whether the input script is one valid key-path signature for the spent output
   */
  public static boolean verifyKeyPathSpend(
      Transaction signed, List<TxOutput> spentOutputs, int inputIndex) {
    List<ScriptChunk> chunks = signed.inputs().get(inputIndex).scriptSig().tryChunks().orElse(null);
    if (chunks == null || chunks.size() != 1 || chunks.get(0).data() == null) {
      return false;
    }
    return LotusTaproot.verifyKeyPath(
        Secp256k1.defaultProvider(),
        chunks.get(0).data(),
        signed,
        inputIndex,
        spentOutputs,
        SigHashOptions.DEFAULT);
  }
}
