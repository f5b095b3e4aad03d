package org.lotusia.chain.chronik;

import java.util.List;

/**
 * The UTXOs of one output script.
 *
 * @param outputScript the script as lowercase hex
 * @param utxos its unspent outputs
 */
public record ScriptUtxos(String outputScript, List<Utxo> utxos) {

  /** Copies the list so the record is immutable. */
  public ScriptUtxos {
    utxos = List.copyOf(utxos);
  }
}
