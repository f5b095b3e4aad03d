package org.lotusia.chainsim.script;

/** Opcode values of lotusd's {@code src/script/script.h} that the interpreter refers to. */
final class Opcode {
  static final int OP_0 = 0x00;
  static final int OP_PUSHDATA1 = 0x4c;
  static final int OP_PUSHDATA2 = 0x4d;
  static final int OP_PUSHDATA4 = 0x4e;
  static final int OP_1NEGATE = 0x4f;
  static final int OP_RESERVED = 0x50;
  static final int OP_1 = 0x51;
  static final int OP_16 = 0x60;
  static final int OP_NOP = 0x61;
  static final int OP_SCRIPTTYPE = 0x62;
  static final int OP_IF = 0x63;
  static final int OP_NOTIF = 0x64;
  static final int OP_VERIF = 0x65;
  static final int OP_VERNOTIF = 0x66;
  static final int OP_ELSE = 0x67;
  static final int OP_ENDIF = 0x68;
  static final int OP_VERIFY = 0x69;
  static final int OP_RETURN = 0x6a;
  static final int OP_TOALTSTACK = 0x6b;
  static final int OP_FROMALTSTACK = 0x6c;
  static final int OP_2DROP = 0x6d;
  static final int OP_2DUP = 0x6e;
  static final int OP_3DUP = 0x6f;
  static final int OP_2OVER = 0x70;
  static final int OP_2ROT = 0x71;
  static final int OP_2SWAP = 0x72;
  static final int OP_IFDUP = 0x73;
  static final int OP_DEPTH = 0x74;
  static final int OP_DROP = 0x75;
  static final int OP_DUP = 0x76;
  static final int OP_NIP = 0x77;
  static final int OP_OVER = 0x78;
  static final int OP_PICK = 0x79;
  static final int OP_ROLL = 0x7a;
  static final int OP_ROT = 0x7b;
  static final int OP_SWAP = 0x7c;
  static final int OP_TUCK = 0x7d;
  static final int OP_SIZE = 0x82;
  static final int OP_INVERT = 0x83;
  static final int OP_EQUAL = 0x87;
  static final int OP_EQUALVERIFY = 0x88;
  static final int OP_RESERVED1 = 0x89;
  static final int OP_RESERVED2 = 0x8a;
  static final int OP_1ADD = 0x8b;
  static final int OP_1SUB = 0x8c;
  static final int OP_2MUL = 0x8d;
  static final int OP_2DIV = 0x8e;
  static final int OP_NEGATE = 0x8f;
  static final int OP_ABS = 0x90;
  static final int OP_NOT = 0x91;
  static final int OP_0NOTEQUAL = 0x92;
  static final int OP_ADD = 0x93;
  static final int OP_SUB = 0x94;
  static final int OP_MUL = 0x95;
  static final int OP_BOOLAND = 0x9a;
  static final int OP_BOOLOR = 0x9b;
  static final int OP_NUMEQUAL = 0x9c;
  static final int OP_NUMEQUALVERIFY = 0x9d;
  static final int OP_NUMNOTEQUAL = 0x9e;
  static final int OP_LESSTHAN = 0x9f;
  static final int OP_GREATERTHAN = 0xa0;
  static final int OP_LESSTHANOREQUAL = 0xa1;
  static final int OP_GREATERTHANOREQUAL = 0xa2;
  static final int OP_MIN = 0xa3;
  static final int OP_MAX = 0xa4;
  static final int OP_WITHIN = 0xa5;
  static final int OP_RIPEMD160 = 0xa6;
  static final int OP_SHA1 = 0xa7;
  static final int OP_SHA256 = 0xa8;
  static final int OP_HASH160 = 0xa9;
  static final int OP_HASH256 = 0xaa;
  static final int OP_CODESEPARATOR = 0xab;
  static final int OP_CHECKSIG = 0xac;
  static final int OP_CHECKSIGVERIFY = 0xad;
  static final int OP_NOP1 = 0xb0;
  static final int OP_CHECKLOCKTIMEVERIFY = 0xb1;
  static final int OP_CHECKSEQUENCEVERIFY = 0xb2;
  static final int OP_NOP4 = 0xb3;
  static final int OP_NOP10 = 0xb9;
  static final int OP_CHECKDATASIG = 0xba;
  static final int OP_CHECKDATASIGVERIFY = 0xbb;
  static final int FIRST_UNDEFINED = 0xbd;

  private Opcode() {}

  /** lotusd {@code IsOpcodeDisabled}: disabled opcodes and every undefined one. */
  static boolean isDisabled(int op) {
    return switch (op) {
      case OP_RESERVED,
          OP_VERIF,
          OP_VERNOTIF,
          OP_IFDUP,
          OP_INVERT,
          OP_RESERVED1,
          OP_RESERVED2,
          OP_2MUL,
          OP_2DIV,
          OP_MUL,
          OP_NUMEQUAL,
          OP_NUMEQUALVERIFY,
          OP_NUMNOTEQUAL,
          OP_SHA1 -> true;
      default -> op >= FIRST_UNDEFINED;
    };
  }

  /** A readable name for error messages. */
  static String name(int op) {
    return switch (op) {
      case 0x7e -> "OP_CAT";
      case 0x7f -> "OP_SPLIT";
      case 0x80 -> "OP_NUM2BIN";
      case 0x81 -> "OP_BIN2NUM";
      case 0x84 -> "OP_AND";
      case 0x85 -> "OP_OR";
      case 0x86 -> "OP_XOR";
      case 0x96 -> "OP_DIV";
      case 0x97 -> "OP_MOD";
      case 0x98 -> "OP_RAWLEFTBITSHIFT";
      case 0x99 -> "OP_MULPOW2";
      case 0xae -> "OP_CHECKMULTISIG";
      case 0xaf -> "OP_CHECKMULTISIGVERIFY";
      case 0xbc -> "OP_REVERSEBYTES";
      default -> String.format("opcode 0x%02x", op);
    };
  }
}
