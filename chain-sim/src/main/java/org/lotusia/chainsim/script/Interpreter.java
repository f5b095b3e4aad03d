package org.lotusia.chainsim.script;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Hashes;

/**
 * Executes one script on a stack (lotusd {@code EvalScript}). A real interpreter of the opcodes
 * listed in {@link Opcode}: pushes (always minimal, as lotusd requires), flow control, stack
 * operations, equality, the arithmetic subset, hashes, OP_CHECKSIG(VERIFY),
 * OP_CHECKDATASIG(VERIFY), OP_CHECKLOCKTIMEVERIFY and OP_CHECKSEQUENCEVERIFY. Disabled opcodes fail
 * as in lotusd; opcodes lotusd executes but this interpreter does not (string and bitwise
 * operations, OP_CHECKMULTISIG) fail with {@link ScriptError#UNSUPPORTED_OPCODE}.
 *
 * <p>Limits as lotusd: script 10,000 bytes, element 520 bytes, 400 non-push opcodes, 1,000 stack
 * plus altstack elements. Stateless apart from the run in progress; one instance per execution.
 */
final class Interpreter {

  static final int MAX_SCRIPT_SIZE = 10_000;
  static final int MAX_ELEMENT_SIZE = 520;
  static final int MAX_OPS = 400;
  static final int MAX_STACK = 1_000;

  private static final byte[] TRUE = {1};
  private static final byte[] FALSE = {};

  private final List<byte[]> stack;
  private final List<byte[]> alt = new ArrayList<>();
  private final int flags;
  private final TxChecker checker;
  private final byte[] executedScriptHash;
  private int sigChecks;

  /**
   * @param stack the stack, modified in place
   * @param executedScriptHash what SIGHASH_LOTUS commits to as the executed script (dSHA256 of a
   *     plain script, the tapleaf hash of a Tapscript); null while executing a scriptSig
   */
  Interpreter(List<byte[]> stack, int flags, TxChecker checker, byte[] executedScriptHash) {
    this.stack = stack;
    this.flags = flags;
    this.checker = checker;
    this.executedScriptHash = executedScriptHash;
  }

  /** Signature checks executed so far (lotusd's SigChecks metric). */
  int sigChecks() {
    return sigChecks;
  }

  /** Runs the script. @throws ScriptException with the reason it failed */
  void run(byte[] script) throws ScriptException {
    if (script.length > MAX_SCRIPT_SIZE) {
      throw new ScriptException(ScriptError.SCRIPT_SIZE, script.length + " bytes");
    }
    List<Boolean> exec = new ArrayList<>();
    int pc = 0;
    int opCount = 0;
    int codeHashStart = 0;
    long opPosition = 0;
    long codeSeparatorPos = 0xffffffffL;
    for (; pc < script.length; opPosition++) {
      boolean executing = !exec.contains(Boolean.FALSE);
      Op op = Op.read(script, pc);
      pc = op.next();
      int opcode = op.opcode();
      if (op.data() != null && op.data().length > MAX_ELEMENT_SIZE) {
        throw new ScriptException(ScriptError.PUSH_SIZE, op.data().length + " bytes");
      }
      if (opcode > Opcode.OP_16 && ++opCount > MAX_OPS) {
        throw new ScriptException(ScriptError.OP_COUNT);
      }
      if (Opcode.isDisabled(opcode)) {
        throw new ScriptException(ScriptError.DISABLED_OPCODE, Opcode.name(opcode));
      }
      if (opcode == Opcode.OP_SCRIPTTYPE) {
        throw new ScriptException(ScriptError.INVALID_OP_SCRIPTTYPE);
      }
      if (executing && opcode <= Opcode.OP_PUSHDATA4) {
        if (!op.isMinimalPush()) {
          throw new ScriptException(ScriptError.MINIMALDATA, "at offset " + op.offset());
        }
        stack.add(op.data());
      } else if (executing || (opcode >= Opcode.OP_IF && opcode <= Opcode.OP_ENDIF)) {
        switch (opcode) {
          case Opcode.OP_IF, Opcode.OP_NOTIF -> {
            boolean value = false;
            if (executing) {
              if (stack.isEmpty()) {
                throw new ScriptException(ScriptError.UNBALANCED_CONDITIONAL);
              }
              value = ScriptNum.toBool(pop());
              if (opcode == Opcode.OP_NOTIF) {
                value = !value;
              }
            }
            exec.add(value);
          }
          case Opcode.OP_ELSE -> {
            if (exec.isEmpty()) {
              throw new ScriptException(ScriptError.UNBALANCED_CONDITIONAL);
            }
            exec.set(exec.size() - 1, !exec.get(exec.size() - 1));
          }
          case Opcode.OP_ENDIF -> {
            if (exec.isEmpty()) {
              throw new ScriptException(ScriptError.UNBALANCED_CONDITIONAL);
            }
            exec.remove(exec.size() - 1);
          }
          case Opcode.OP_CODESEPARATOR -> {
            codeHashStart = pc;
            codeSeparatorPos = opPosition;
          }
          case Opcode.OP_CHECKSIG, Opcode.OP_CHECKSIGVERIFY -> {
            need(2);
            byte[] sig = top(-2);
            byte[] pubkey = top(-1);
            SigEncoding.checkTransactionSignature(sig, flags);
            SigEncoding.checkPublicKey(pubkey);
            boolean ok = false;
            if (sig.length > 0) {
              byte[] scriptCode = Arrays.copyOfRange(script, codeHashStart, script.length);
              TxChecker.ExecData execData =
                  new TxChecker.ExecData(executedScriptHash, codeSeparatorPos);
              ok = checker.checkSig(sig, pubkey, execData, scriptCode, flags);
              sigChecks++;
              if (!ok) {
                throw new ScriptException(ScriptError.SIG_NULLFAIL);
              }
            }
            pop();
            pop();
            if (opcode == Opcode.OP_CHECKSIGVERIFY) {
              if (!ok) {
                throw new ScriptException(ScriptError.CHECKSIGVERIFY);
              }
            } else {
              stack.add(ok ? TRUE : FALSE);
            }
          }
          case Opcode.OP_CHECKDATASIG, Opcode.OP_CHECKDATASIGVERIFY -> {
            need(3);
            byte[] sig = top(-3);
            byte[] message = top(-2);
            byte[] pubkey = top(-1);
            SigEncoding.checkDataSignature(sig, flags);
            SigEncoding.checkPublicKey(pubkey);
            boolean ok = false;
            if (sig.length > 0) {
              EcPoint key = checker.decodeKey(pubkey);
              ok = key != null && checker.verifySignature(sig, key, Hashes.sha256(message));
              sigChecks++;
              if (!ok) {
                throw new ScriptException(ScriptError.SIG_NULLFAIL);
              }
            }
            pop();
            pop();
            pop();
            if (opcode == Opcode.OP_CHECKDATASIGVERIFY) {
              if (!ok) {
                throw new ScriptException(ScriptError.CHECKDATASIGVERIFY);
              }
            } else {
              stack.add(ok ? TRUE : FALSE);
            }
          }
          case Opcode.OP_CHECKLOCKTIMEVERIFY -> {
            need(1);
            long lockTime = ScriptNum.decode(top(-1), 5);
            if (lockTime < 0) {
              throw new ScriptException(ScriptError.NEGATIVE_LOCKTIME);
            }
            if (!checker.checkLockTime(lockTime)) {
              throw new ScriptException(
                  ScriptError.UNSATISFIED_LOCKTIME, "OP_CHECKLOCKTIMEVERIFY " + lockTime);
            }
          }
          case Opcode.OP_CHECKSEQUENCEVERIFY -> {
            need(1);
            long sequence = ScriptNum.decode(top(-1), 5);
            if (sequence < 0) {
              throw new ScriptException(ScriptError.NEGATIVE_LOCKTIME);
            }
            // with the disable bit set the operand is reserved for upgrades: a NOP
            if ((sequence & TxChecker.SEQUENCE_LOCKTIME_DISABLE_FLAG) == 0
                && !checker.checkSequence(sequence)) {
              throw new ScriptException(
                  ScriptError.UNSATISFIED_LOCKTIME, "OP_CHECKSEQUENCEVERIFY " + sequence);
            }
          }
          default -> StackOps.execute(opcode, this);
        }
      }
      if (stack.size() + alt.size() > MAX_STACK) {
        throw new ScriptException(ScriptError.STACK_SIZE);
      }
    }
    if (!exec.isEmpty()) {
      throw new ScriptException(ScriptError.UNBALANCED_CONDITIONAL);
    }
  }

  // --- stack access for StackOps -------------------------------------------------------------

  List<byte[]> stack() {
    return stack;
  }

  List<byte[]> alt() {
    return alt;
  }

  void need(int n) throws ScriptException {
    if (stack.size() < n) {
      throw new ScriptException(ScriptError.INVALID_STACK_OPERATION);
    }
  }

  byte[] top(int i) {
    return stack.get(stack.size() + i);
  }

  byte[] pop() throws ScriptException {
    need(1);
    return stack.remove(stack.size() - 1);
  }

  void push(byte[] v) {
    stack.add(v);
  }

  void pushBool(boolean b) {
    stack.add(b ? TRUE : FALSE);
  }

  /** One parsed instruction. */
  record Op(int opcode, byte[] data, int offset, int next) {

    static Op read(byte[] s, int pc) throws ScriptException {
      int opcode = s[pc] & 0xff;
      int i = pc + 1;
      if (opcode > Opcode.OP_PUSHDATA4) {
        return new Op(opcode, null, pc, i);
      }
      long len;
      if (opcode < Opcode.OP_PUSHDATA1) {
        len = opcode;
      } else {
        int lenBytes = opcode == Opcode.OP_PUSHDATA1 ? 1 : opcode == Opcode.OP_PUSHDATA2 ? 2 : 4;
        if (s.length - i < lenBytes) {
          throw new ScriptException(ScriptError.BAD_OPCODE, "truncated push at offset " + pc);
        }
        len = 0;
        for (int k = lenBytes - 1; k >= 0; k--) {
          len = (len << 8) | (s[i + k] & 0xff);
        }
        i += lenBytes;
      }
      if (len > s.length - i) {
        throw new ScriptException(ScriptError.BAD_OPCODE, "truncated push at offset " + pc);
      }
      return new Op(opcode, Arrays.copyOfRange(s, i, i + (int) len), pc, i + (int) len);
    }

    /** lotusd {@code CheckMinimalPush}. */
    boolean isMinimalPush() {
      int n = data.length;
      if (n == 0) {
        return opcode == Opcode.OP_0;
      }
      if (n == 1 && (data[0] & 0xff) >= 1 && (data[0] & 0xff) <= 16) {
        return false;
      }
      if (n == 1 && (data[0] & 0xff) == 0x81) {
        return false;
      }
      if (n <= 75) {
        return opcode == n;
      }
      if (n <= 255) {
        return opcode == Opcode.OP_PUSHDATA1;
      }
      if (n <= 65535) {
        return opcode == Opcode.OP_PUSHDATA2;
      }
      return true;
    }
  }
}
