package org.lotusia.swapsig;

import java.util.Objects;
import org.lotusia.chain.script.Script;

/**
 * What a participant asks of a pool: swap {@code input} for one output of the pool's payout at
 * {@code destination}. Immutable.
 *
 * @param input the coin to swap
 * @param destination where the payout goes: a P2PKH, P2SH or key-only Taproot script that is not
 *     the input's own script (reusing it would link input and payout)
 * @param change where the setup transaction's change goes (default: the input's script)
 * @param refundTo where a refund goes (default: the input's script)
 */
public record SwapRequest(SwapInput input, Script destination, Script change, Script refundTo) {

  /** Validates. @throws IllegalArgumentException for an unsupported or reused destination */
  public SwapRequest {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(destination, "destination");
    change = change == null ? input.script() : change;
    refundTo = refundTo == null ? input.script() : refundTo;
    if (!isAcceptedDestination(destination)) {
      throw new IllegalArgumentException(
          "destination must be a P2PKH, P2SH or key-only Taproot script, got " + destination.type());
    }
    if (destination.equals(input.script()) || destination.equals(change)) {
      throw new IllegalArgumentException(
          "destination must differ from the input's and the change's script; reuse links the payout"
              + " to the input");
    }
  }

  /** @return a request with change and refunds back to the input's script */
  public static SwapRequest of(SwapInput input, Script destination) {
    return new SwapRequest(input, destination, null, null);
  }

  /**
   * @param s a script
   * @return whether a pool pays to it: P2PKH, P2SH or Taproot without state (the settlement fee
   *     covers scripts up to 36 bytes)
   */
  public static boolean isAcceptedDestination(Script s) {
    return s.isP2pkh() || s.isP2sh() || (s.isP2tr() && s.size() == 36);
  }
}
