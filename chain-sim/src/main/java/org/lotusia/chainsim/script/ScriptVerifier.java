package org.lotusia.chainsim.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.sighash.SigHashOptions;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxOutput;

/**
 * Verifies that an input's script satisfies the output it spends (lotusd {@code VerifyScript}):
 * the scriptSig must be push-only and is executed first; then either the spent script runs on the
 * same stack (with P2SH's redeem script after it), or, for an {@code OP_SCRIPTTYPE} output, the
 * Lotus Taproot rules apply ({@link TaprootSpend}). With {@link ScriptFlags#CLEANSTACK} exactly one
 * element may remain; with {@link ScriptFlags#INPUT_SIGCHECKS} the input script must be large
 * enough for its signature checks. Stateless and thread-safe.
 */
public final class ScriptVerifier {

  private ScriptVerifier() {}

  /**
   * Verifies input {@code inputIndex} of {@code tx}.
   *
   * @param spentOutputs the output spent by every input, in input order
   * @param flags {@link ScriptFlags} bits
   * @throws ScriptException with lotusd's reason when the input does not verify
   */
  public static void verifyInput(
      Secp256k1Provider provider,
      Transaction tx,
      int inputIndex,
      List<TxOutput> spentOutputs,
      int flags,
      SigHashOptions options)
      throws ScriptException {
    byte[] scriptSig = tx.inputs().get(inputIndex).scriptSig().bytes();
    byte[] scriptPubKey = spentOutputs.get(inputIndex).script().bytes();
    TxChecker checker = new TxChecker(provider, tx, inputIndex, spentOutputs, options);
    verify(scriptSig, scriptPubKey, flags, checker);
  }

  /** Verifies with an existing checker. @throws ScriptException when it does not verify */
  static void verify(byte[] scriptSig, byte[] scriptPubKey, int flags, TxChecker checker)
      throws ScriptException {
    if (!isPushOnly(scriptSig)) {
      throw new ScriptException(ScriptError.SIG_PUSHONLY);
    }
    List<byte[]> stack = new ArrayList<>();
    new Interpreter(stack, flags, checker, null).run(scriptSig);
    if (scriptPubKey.length > 0 && (scriptPubKey[0] & 0xff) == Opcode.OP_SCRIPTTYPE) {
      if (scriptPubKey.length == 1) {
        throw new ScriptException(ScriptError.SCRIPTTYPE_MALFORMED_SCRIPT);
      }
      if ((scriptPubKey[1] & 0xff) != Opcode.OP_1) {
        throw new ScriptException(ScriptError.SCRIPTTYPE_INVALID_TYPE);
      }
      TaprootSpend.verify(stack, scriptSig, scriptPubKey, flags, checker);
      return;
    }
    List<byte[]> copy = new ArrayList<>(stack);
    Interpreter main = new Interpreter(stack, flags, checker, Hashes.sha256d(scriptPubKey));
    main.run(scriptPubKey);
    int sigChecks = main.sigChecks();
    requireTrue(stack);
    if (isP2sh(scriptPubKey)) {
      stack.clear();
      stack.addAll(copy);
      byte[] redeem = stack.remove(stack.size() - 1);
      Interpreter inner = new Interpreter(stack, flags, checker, Hashes.sha256d(redeem));
      inner.run(redeem);
      sigChecks += inner.sigChecks();
      requireTrue(stack);
    }
    postConditions(stack, scriptSig, flags, sigChecks);
  }

  static void requireTrue(List<byte[]> stack) throws ScriptException {
    if (stack.isEmpty() || !ScriptNum.toBool(stack.get(stack.size() - 1))) {
      throw new ScriptException(ScriptError.EVAL_FALSE);
    }
  }

  /** lotusd {@code VerifyScriptPostConditions}. */
  static void postConditions(List<byte[]> stack, byte[] scriptSig, int flags, int sigChecks)
      throws ScriptException {
    if ((flags & ScriptFlags.CLEANSTACK) != 0 && stack.size() != 1) {
      throw new ScriptException(ScriptError.CLEANSTACK, stack.size() + " elements left");
    }
    if ((flags & ScriptFlags.INPUT_SIGCHECKS) != 0 && scriptSig.length < sigChecks * 43 - 60) {
      throw new ScriptException(ScriptError.INPUT_SIGCHECKS);
    }
  }

  /** True if every instruction is a push (OP_0..OP_16, OP_1NEGATE and data pushes). */
  static boolean isPushOnly(byte[] script) {
    int pc = 0;
    while (pc < script.length) {
      Interpreter.Op op;
      try {
        op = Interpreter.Op.read(script, pc);
      } catch (ScriptException e) {
        return false;
      }
      if (op.opcode() > Opcode.OP_16) {
        return false;
      }
      pc = op.next();
    }
    return true;
  }

  private static boolean isP2sh(byte[] s) {
    return s.length == 23 && (s[0] & 0xff) == 0xa9 && s[1] == 0x14 && (s[22] & 0xff) == 0x87;
  }

  static byte[] copy(byte[] b) {
    return Arrays.copyOf(b, b.length);
  }
}
