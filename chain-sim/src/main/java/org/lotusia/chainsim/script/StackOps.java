package org.lotusia.chainsim.script;

import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;

/**
 * The opcodes without transaction context: small-integer pushes, NOPs, OP_VERIFY, OP_RETURN, stack
 * manipulation, equality, arithmetic and hashes (lotusd {@code EvalScript} semantics). Stateless.
 */
final class StackOps {

  private StackOps() {}

  static void execute(int op, Interpreter in) throws ScriptException {
    List<byte[]> st = in.stack();
    switch (op) {
      case Opcode.OP_1NEGATE -> in.push(ScriptNum.encode(-1));
      case Opcode.OP_NOP -> {}
      case Opcode.OP_NOP1, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, Opcode.OP_NOP10 -> {
        // reserved for upgrades: a NOP in consensus, refused by relay policy
      }
      case Opcode.OP_VERIFY -> {
        in.need(1);
        if (!ScriptNum.toBool(in.top(-1))) {
          throw new ScriptException(ScriptError.VERIFY);
        }
        in.pop();
      }
      case Opcode.OP_RETURN -> throw new ScriptException(ScriptError.OP_RETURN);
      case Opcode.OP_TOALTSTACK -> in.alt().add(in.pop());
      case Opcode.OP_FROMALTSTACK -> {
        if (in.alt().isEmpty()) {
          throw new ScriptException(ScriptError.INVALID_ALTSTACK_OPERATION);
        }
        in.push(in.alt().remove(in.alt().size() - 1));
      }
      case Opcode.OP_2DROP -> {
        in.need(2);
        in.pop();
        in.pop();
      }
      case Opcode.OP_2DUP -> {
        in.need(2);
        byte[] a = in.top(-2);
        byte[] b = in.top(-1);
        in.push(a);
        in.push(b);
      }
      case Opcode.OP_3DUP -> {
        in.need(3);
        byte[] a = in.top(-3);
        byte[] b = in.top(-2);
        byte[] c = in.top(-1);
        in.push(a);
        in.push(b);
        in.push(c);
      }
      case Opcode.OP_2OVER -> {
        in.need(4);
        byte[] a = in.top(-4);
        byte[] b = in.top(-3);
        in.push(a);
        in.push(b);
      }
      case Opcode.OP_2ROT -> {
        in.need(6);
        byte[] a = st.remove(st.size() - 6);
        byte[] b = st.remove(st.size() - 5);
        in.push(a);
        in.push(b);
      }
      case Opcode.OP_2SWAP -> {
        in.need(4);
        byte[] a = st.remove(st.size() - 4);
        byte[] b = st.remove(st.size() - 3);
        in.push(a);
        in.push(b);
      }
      case Opcode.OP_DEPTH -> in.push(ScriptNum.encode(st.size()));
      case Opcode.OP_DROP -> in.pop();
      case Opcode.OP_DUP -> {
        in.need(1);
        in.push(in.top(-1));
      }
      case Opcode.OP_NIP -> {
        in.need(2);
        st.remove(st.size() - 2);
      }
      case Opcode.OP_OVER -> {
        in.need(2);
        in.push(in.top(-2));
      }
      case Opcode.OP_PICK, Opcode.OP_ROLL -> {
        in.need(2);
        long n = ScriptNum.decode(in.top(-1), ScriptNum.DEFAULT_MAX_SIZE);
        in.pop();
        if (n < 0 || n >= st.size()) {
          throw new ScriptException(ScriptError.INVALID_STACK_OPERATION);
        }
        byte[] v = in.top((int) (-n - 1));
        if (op == Opcode.OP_ROLL) {
          st.remove(st.size() - (int) n - 1);
        }
        in.push(v);
      }
      case Opcode.OP_ROT -> {
        in.need(3);
        in.push(st.remove(st.size() - 3));
      }
      case Opcode.OP_SWAP -> {
        in.need(2);
        in.push(st.remove(st.size() - 2));
      }
      case Opcode.OP_TUCK -> {
        in.need(2);
        st.add(st.size() - 2, in.top(-1));
      }
      case Opcode.OP_SIZE -> {
        in.need(1);
        in.push(ScriptNum.encode(in.top(-1).length));
      }
      case Opcode.OP_EQUAL, Opcode.OP_EQUALVERIFY -> {
        in.need(2);
        boolean eq = Arrays.equals(in.pop(), in.pop());
        if (op == Opcode.OP_EQUALVERIFY) {
          if (!eq) {
            throw new ScriptException(ScriptError.EQUALVERIFY);
          }
        } else {
          in.pushBool(eq);
        }
      }
      case Opcode.OP_1ADD,
          Opcode.OP_1SUB,
          Opcode.OP_NEGATE,
          Opcode.OP_ABS,
          Opcode.OP_NOT,
          Opcode.OP_0NOTEQUAL -> unary(op, in);
      case Opcode.OP_ADD,
          Opcode.OP_SUB,
          Opcode.OP_BOOLAND,
          Opcode.OP_BOOLOR,
          Opcode.OP_LESSTHAN,
          Opcode.OP_GREATERTHAN,
          Opcode.OP_LESSTHANOREQUAL,
          Opcode.OP_GREATERTHANOREQUAL,
          Opcode.OP_MIN,
          Opcode.OP_MAX -> binary(op, in);
      case Opcode.OP_WITHIN -> {
        in.need(3);
        long x = num(in.top(-3));
        long min = num(in.top(-2));
        long max = num(in.top(-1));
        in.pop();
        in.pop();
        in.pop();
        in.pushBool(min <= x && x < max);
      }
      case Opcode.OP_RIPEMD160 -> in.push(Hashes.ripemd160(in.pop()));
      case Opcode.OP_SHA256 -> in.push(Hashes.sha256(in.pop()));
      case Opcode.OP_HASH160 -> in.push(Hashes.hash160(in.pop()));
      case Opcode.OP_HASH256 -> in.push(Hashes.sha256d(in.pop()));
      default -> {
        if (op >= Opcode.OP_1 && op <= Opcode.OP_16) {
          in.push(ScriptNum.encode(op - (Opcode.OP_1 - 1)));
          return;
        }
        throw new ScriptException(ScriptError.UNSUPPORTED_OPCODE, Opcode.name(op));
      }
    }
  }

  private static long num(byte[] v) throws ScriptException {
    return ScriptNum.decode(v, ScriptNum.DEFAULT_MAX_SIZE);
  }

  private static void unary(int op, Interpreter in) throws ScriptException {
    in.need(1);
    long n = num(in.top(-1));
    long r =
        switch (op) {
          case Opcode.OP_1ADD -> n + 1;
          case Opcode.OP_1SUB -> n - 1;
          case Opcode.OP_NEGATE -> -n;
          case Opcode.OP_ABS -> Math.abs(n);
          case Opcode.OP_NOT -> n == 0 ? 1 : 0;
          default -> n != 0 ? 1 : 0;
        };
    in.pop();
    in.push(ScriptNum.encode(r));
  }

  private static void binary(int op, Interpreter in) throws ScriptException {
    in.need(2);
    long a = num(in.top(-2));
    long b = num(in.top(-1));
    long r;
    try {
      r = binaryResult(op, a, b);
    } catch (ArithmeticException e) {
      throw new ScriptException(ScriptError.INVALID_NUMBER_RANGE, "overflow");
    }
    in.pop();
    in.pop();
    in.push(ScriptNum.encode(r));
  }

  private static long binaryResult(int op, long a, long b) {
    return switch (op) {
          case Opcode.OP_ADD -> Math.addExact(a, b);
          case Opcode.OP_SUB -> Math.subtractExact(a, b);
          case Opcode.OP_BOOLAND -> a != 0 && b != 0 ? 1 : 0;
          case Opcode.OP_BOOLOR -> a != 0 || b != 0 ? 1 : 0;
          case Opcode.OP_LESSTHAN -> a < b ? 1 : 0;
          case Opcode.OP_GREATERTHAN -> a > b ? 1 : 0;
          case Opcode.OP_LESSTHANOREQUAL -> a <= b ? 1 : 0;
          case Opcode.OP_GREATERTHANOREQUAL -> a >= b ? 1 : 0;
          case Opcode.OP_MIN -> Math.min(a, b);
          default -> Math.max(a, b);
        };
  }
}
