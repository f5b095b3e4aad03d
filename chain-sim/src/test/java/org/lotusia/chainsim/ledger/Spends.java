package org.lotusia.chainsim.ledger;

import java.util.List;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.sighash.SigHasher;
import org.lotusia.chain.sign.TxSignatures;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxInput;
import org.lotusia.chain.tx.TxOutput;

/** Hand-built spends for rule tests: one P2PKH input with a chosen sequence, lock time and type. */
final class Spends {

  private Spends() {}

  static Transaction p2pkh(
      PrivateKey key,
      OutPoint from,
      TxOutput spent,
      List<TxOutput> outputs,
      long sequence,
      long lockTime,
      int hashType) {
    Transaction unsigned =
        new Transaction(
            2, List.of(new TxInput(from, Scripts.p2pkhInput(new byte[0], new byte[0]), sequence)), outputs, lockTime);
    unsigned = unsigned.withInputScript(0, org.lotusia.chain.script.Script.empty());
    SigHasher h = new SigHasher(unsigned, List.of(spent));
    byte[] digest =
        (hashType & 0x60) == 0
            ? h.legacy(0, spent.script(), hashType)
            : h.hash(0, hashType, spent.script(), spent.value());
    byte[] sig = TxSignatures.ecdsa(key, digest, hashType);
    return unsigned.withInputScript(0, Scripts.p2pkhInput(sig, key.publicKeyBytes()));
  }
}
