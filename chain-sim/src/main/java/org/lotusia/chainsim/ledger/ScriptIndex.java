package org.lotusia.chainsim.ledger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.TxOutput;

/**
 * Confirmed transactions by the output scripts they pay or spend from, in chain order. Not
 * thread-safe: owned by {@link Ledger} under its lock.
 */
final class ScriptIndex {

  private final Map<Script, List<String>> byScript = new HashMap<>();

  /** Indexes a confirmed transaction under every script it touches (once per script). */
  void add(TxEntry e) {
    for (Script s : scriptsOf(e)) {
      byScript.computeIfAbsent(s, k -> new ArrayList<>()).add(e.txid());
    }
  }

  /** Confirmed txids touching the script, oldest first (a copy). */
  List<String> confirmedTxids(Script s) {
    List<String> l = byScript.get(s);
    return l == null ? List.of() : List.copyOf(l);
  }

  /** True if the transaction pays the script or spends an output of it. */
  static boolean touches(TxEntry e, Script s) {
    return scriptsOf(e).contains(s);
  }

  private static Set<Script> scriptsOf(TxEntry e) {
    Set<Script> set = new LinkedHashSet<>();
    for (TxOutput o : e.spentOutputs()) {
      set.add(o.script());
    }
    for (TxOutput o : e.tx().outputs()) {
      set.add(o.script());
    }
    return set;
  }
}
