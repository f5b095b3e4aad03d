package org.lotusia.swapsig.plan;

import java.util.List;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.TxOutput;

/**
 * One shared output of a pool: a Lotus Taproot output whose key path is the MuSig2 aggregate of
 * its group's signer keys and whose one script leaf refunds its funder. Immutable.
 *
 * @param index the output's index in the ring (equal to its funder's index)
 * @param funder the participant that pays it in its setup transaction
 * @param receiver the participant its settlement pays
 * @param signers the participants that sign its settlement, funder first
 * @param signerKeys their signer keys, in the same order
 * @param internalKey the 33-byte MuSig2 aggregate key (untweaked)
 * @param refundLeaf the funder's refund leaf
 * @param script the output script {@code 62 51 21 <commitment>}
 * @param value the output's value: the pool's denomination
 */
public record SharedOutput(
    int index,
    int funder,
    int receiver,
    List<Integer> signers,
    List<byte[]> signerKeys,
    byte[] internalKey,
    RefundLeaf refundLeaf,
    Script script,
    long value) {

  /** Copies the lists and the key. */
  public SharedOutput {
    signers = List.copyOf(signers);
    signerKeys = signerKeys.stream().map(byte[]::clone).toList();
    internalKey = internalKey.clone();
  }

  /** @return the signer keys (copies) */
  @Override
  public List<byte[]> signerKeys() {
    return signerKeys.stream().map(byte[]::clone).toList();
  }

  /** @return a copy of the internal key */
  @Override
  public byte[] internalKey() {
    return internalKey.clone();
  }

  /** The output as a setup transaction must pay it. */
  public TxOutput txOutput() {
    return new TxOutput(value, script);
  }

  /** The Taproot merkle root the MuSig2 session tweaks with: the refund leaf's hash. */
  public byte[] merkleRoot() {
    return refundLeaf.leafHash();
  }
}
