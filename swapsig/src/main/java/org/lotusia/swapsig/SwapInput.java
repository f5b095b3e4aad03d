package org.lotusia.swapsig;

import java.util.Objects;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.tx.OutPoint;
import org.lotusia.chain.tx.TxOutput;

/**
 * The coin a participant swaps: a P2PKH output and its key. The key signs the ownership proof and
 * the setup transaction, and owns the refund path of the shared output it funds, so whoever holds
 * it can always take a refund back. The SDK keeps a reference to the key until the pool is
 * resolved.
 *
 * @param outpoint the coin
 * @param output its value and script (checked against the chain at registration)
 * @param key the key of its P2PKH script
 */
public record SwapInput(OutPoint outpoint, TxOutput output, PrivateKey key) {

  /** Validates. @throws IllegalArgumentException if the script is not the key's P2PKH script */
  public SwapInput {
    Objects.requireNonNull(outpoint, "outpoint");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(key, "key");
    if (!output.script().equals(Scripts.p2pkh(key.publicKey()))) {
      throw new IllegalArgumentException(
          "the input must be a P2PKH output of the given key; other script types are not supported");
    }
  }

  /** The input's script, where change and refunds go by default. */
  public Script script() {
    return output.script();
  }
}
