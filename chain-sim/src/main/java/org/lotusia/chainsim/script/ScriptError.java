package org.lotusia.chainsim.script;

/**
 * Why a script failed, with lotusd's message for each ({@code ScriptErrorString} in lotusd's
 * {@code src/script/script_error.cpp}). A transaction refused for a script failure carries the
 * reason {@code mandatory-script-verify-flag-failed (<message>)}, or {@code
 * non-mandatory-script-verify-flag (<message>)} for a policy-only flag, as lotusd words it.
 */
public enum ScriptError {
  /** Script finished with a false or empty top element. */
  EVAL_FALSE("Script evaluated without error but finished with a false/empty top stack element"),
  /** OP_VERIFY on false. */
  VERIFY("Script failed an OP_VERIFY operation"),
  /** OP_EQUALVERIFY on unequal values. */
  EQUALVERIFY("Script failed an OP_EQUALVERIFY operation"),
  /** OP_CHECKSIGVERIFY failed. */
  CHECKSIGVERIFY("Script failed an OP_CHECKSIGVERIFY operation"),
  /** OP_CHECKDATASIGVERIFY failed. */
  CHECKDATASIGVERIFY("Script failed an OP_CHECKDATASIGVERIFY operation"),
  /** Script above 10,000 bytes. */
  SCRIPT_SIZE("Script is too big"),
  /** Push above 520 bytes. */
  PUSH_SIZE("Push value size limit exceeded"),
  /** More than 201 non-push opcodes. */
  OP_COUNT("Operation limit exceeded"),
  /** Stack plus altstack above 1,000 elements. */
  STACK_SIZE("Stack size limit exceeded"),
  /** Too many signature checks for the input's size (policy). */
  INPUT_SIGCHECKS("Input SigChecks limit exceeded"),
  /** A number operand out of range or too long. */
  INVALID_NUMBER_RANGE(
      "Given operand is not a number within the valid range [-2^63 + 1...2^63 - 1]"),
  /** Malformed script or truncated push. */
  BAD_OPCODE("Opcode missing or not understood"),
  /** A disabled opcode (OP_MUL, OP_SHA1, ...). */
  DISABLED_OPCODE("Attempted to use a disabled opcode"),
  /** Too few stack elements. */
  INVALID_STACK_OPERATION("Operation not valid with the current stack size"),
  /** Too few altstack elements. */
  INVALID_ALTSTACK_OPERATION("Operation not valid with the current altstack size"),
  /** OP_RETURN executed. */
  OP_RETURN("OP_RETURN was encountered"),
  /** Unbalanced OP_IF/OP_ELSE/OP_ENDIF. */
  UNBALANCED_CONDITIONAL("Invalid OP_IF construction"),
  /** Negative lock time operand. */
  NEGATIVE_LOCKTIME("Negative locktime"),
  /** CLTV or CSV requirement not met. */
  UNSATISFIED_LOCKTIME("Locktime requirement not satisfied"),
  /** Hash type undefined. */
  SIG_HASHTYPE("Signature hash type missing or not understood"),
  /** ECDSA signature not strict DER. */
  SIG_DER("Non-canonical DER signature"),
  /** A push not in its minimal form. */
  MINIMALDATA("Data push larger than necessary"),
  /** scriptSig with a non-push opcode. */
  SIG_PUSHONLY("Only push operators allowed in signatures"),
  /** ECDSA S above n/2. */
  SIG_HIGH_S("Non-canonical signature: S value is unnecessarily high"),
  /** A non-empty signature that failed (NULLFAIL). */
  SIG_NULLFAIL("Signature must be zero for failed CHECK(MULTI)SIG operation"),
  /** 64-byte signature where ECDSA is required. */
  SIG_BADLENGTH("Signature cannot be 65 bytes in CHECKMULTISIG"),
  /** Upgradable NOP used (policy). */
  DISCOURAGE_UPGRADABLE_NOPS("NOPx reserved for soft-fork upgrades"),
  /** Public key neither 33 bytes 02/03 nor 65 bytes 04. */
  PUBKEYTYPE("Public key is neither compressed or uncompressed"),
  /** More than one element left after execution. */
  CLEANSTACK("Stack size must be exactly one after execution"),
  /** FORKID used where it is not enabled. */
  ILLEGAL_FORKID("Illegal use of SIGHASH_FORKID"),
  /** Legacy hash type on Lotus. */
  MUST_USE_FORKID("Signature must use SIGHASH_FORKID or SIGHASH_LOTUS"),
  /** OP_SCRIPTTYPE reached the interpreter. */
  INVALID_OP_SCRIPTTYPE("Marker opcode OP_SCRIPTTYPE cannot be executed"),
  /** Unknown script type after OP_SCRIPTTYPE. */
  SCRIPTTYPE_INVALID_TYPE("Script type specified after OP_SCRIPTTYPE is invalid"),
  /** Malformed OP_SCRIPTTYPE script. */
  SCRIPTTYPE_MALFORMED_SCRIPT("Malformed OP_SCRIPTTYPE script"),
  /** Taproot key path without SIGHASH_LOTUS. */
  TAPROOT_KEY_SPEND_MUST_USE_LOTUS_SIGHASH("Taproot key spend signatures must use SIGHASH_LOTUS"),
  /** Taproot key path with an ECDSA signature. */
  TAPROOT_KEY_SPEND_MUST_USE_SCHNORR_SIG("Taproot key spend signature must be Schnorr"),
  /** Taproot key path signature invalid. */
  TAPROOT_VERIFY_SIGNATURE_FAILED("Invalid Taproot key spend signature"),
  /** Annex (0x50) present. */
  TAPROOT_ANNEX_NOT_SUPPORTED("BIP341-style taproot annex (0x50) not supported"),
  /** Control block not 33 + 32n bytes. */
  TAPROOT_WRONG_CONTROL_SIZE("Control block needs to be of length 33 + 32n"),
  /** Control block does not commit to the script. */
  TAPROOT_VERIFY_COMMITMENT_FAILED("Taproot control does not verify the script"),
  /** Leaf version other than 0xc0. */
  TAPROOT_LEAF_VERSION_NOT_SUPPORTED("Unsupported taproot script leaf version"),
  /** Taproot disabled (before the 2nd Samuel upgrade). */
  TAPROOT_PHASEOUT("Taproot is being phased out"),
  /**
   * An opcode lotusd executes but this interpreter does not implement (see the chain simulator's
   * documentation for the supported set). Not a lotusd error.
   */
  UNSUPPORTED_OPCODE("Opcode not supported by the chain simulator");

  private final String message;

  ScriptError(String message) {
    this.message = message;
  }

  /** lotusd's text for this error. */
  public String message() {
    return message;
  }
}
