package org.lotusia.chain.burn;

import java.util.HexFormat;
import java.util.Optional;
import org.lotusia.chain.script.LokadData;

/**
 * A mined OP_RETURN output as found on chain, with its confirmation state.
 *
 * @param txid txid, big-endian (display) hex
 * @param outputIndex index of the output in the transaction
 * @param burnAmount value of the output in satoshis (the amount burned)
 * @param blockHeight height of the block containing the transaction
 * @param confirmations {@code tip - blockHeight + 1}, clamped to 0 or more, from one server
 * @param matured whether {@code confirmations >= maturationPeriod} (or the period is 0)
 * @param scriptHex the output script as lowercase hex
 * @param lokad the LOKAD fields, or {@code null} when the script has no 4-byte prefix push
 */
public record BurnOutput(
    String txid,
    int outputIndex,
    long burnAmount,
    int blockHeight,
    int confirmations,
    boolean matured,
    String scriptHex,
    LokadData lokad) {

  /** Returns the LOKAD fields if the script has them. */
  public Optional<LokadData> lokadData() {
    return Optional.ofNullable(lokad);
  }

  /** Returns a copy of the output script bytes. */
  public byte[] script() {
    return HexFormat.of().parseHex(scriptHex);
  }
}
