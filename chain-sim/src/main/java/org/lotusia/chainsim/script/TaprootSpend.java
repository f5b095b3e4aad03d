package org.lotusia.chainsim.script;

import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.chain.encoding.ByteWriter;

/**
 * Lotus Taproot spends (lotusd {@code VerifyTaprootSpend}, {@code VerifyTaprootCommitment}).
 *
 * <p>Key path: the input script leaves exactly one element, a Lotus Schnorr signature with a
 * SIGHASH_LOTUS type, verified against the 33-byte commitment of the output. Script path: the top
 * element is the control block ({@code [0xc0 | parity] || internal key x || 32-byte path nodes},
 * 33 + 32n bytes, at most 128 nodes), the one below it the leaf script; the tapleaf hash {@code
 * TH("TapLeaf", 0xc0 || compactSize(len) || script)} is folded with the path ({@code TapBranch}
 * over the lexicographically sorted pair) into the merkle root, and {@code internal + TH("TapTweak",
 * internal33 || root) * G} must equal the commitment. The leaf then runs on the remaining stack
 * (with the 32-byte state pushed when the output has one), and its SIGHASH_LOTUS signatures commit
 * to the tapleaf hash. An annex (last element starting 0x50) is refused. Stateless.
 */
final class TaprootSpend {

  private static final int INTRO = 3;
  private static final int SIZE_WITHOUT_STATE = INTRO + 33;
  private static final int SIZE_WITH_STATE = SIZE_WITHOUT_STATE + 33;
  private static final int LEAF_MASK = 0xfe;
  private static final int LEAF_TAPSCRIPT = 0xc0;
  private static final int CONTROL_BASE = 33;
  private static final int CONTROL_NODE = 32;
  private static final int CONTROL_MAX = CONTROL_BASE + CONTROL_NODE * 128;

  private TaprootSpend() {}

  static void verify(
      List<byte[]> stack, byte[] scriptSig, byte[] scriptPubKey, int flags, TxChecker checker)
      throws ScriptException {
    if ((flags & ScriptFlags.DISABLE_TAPROOT_SIGHASH_LOTUS) != 0) {
      throw new ScriptException(ScriptError.TAPROOT_PHASEOUT);
    }
    if (!isPayToTaproot(scriptPubKey)) {
      throw new ScriptException(ScriptError.SCRIPTTYPE_MALFORMED_SCRIPT);
    }
    byte[] commitment = Arrays.copyOfRange(scriptPubKey, INTRO, SIZE_WITHOUT_STATE);
    if (stack.isEmpty()) {
      throw new ScriptException(ScriptError.INVALID_STACK_OPERATION);
    }
    byte[] last = stack.get(stack.size() - 1);
    if (stack.size() >= 2 && last.length > 0 && (last[0] & 0xff) == 0x50) {
      throw new ScriptException(ScriptError.TAPROOT_ANNEX_NOT_SUPPORTED);
    }
    if (stack.size() == 1) {
      int keyFlags = flags | ScriptFlags.TAPROOT_KEY_SPEND_PATH;
      SigEncoding.checkTransactionSignature(last, keyFlags);
      SigEncoding.checkPublicKey(commitment);
      if (last.length == 0 || !checker.checkSig(last, commitment, null, new byte[0], keyFlags)) {
        throw new ScriptException(ScriptError.TAPROOT_VERIFY_SIGNATURE_FAILED);
      }
      return;
    }
    byte[] control = stack.remove(stack.size() - 1);
    byte[] leafScript = stack.remove(stack.size() - 1);
    if (control.length < CONTROL_BASE
        || control.length > CONTROL_MAX
        || (control.length - CONTROL_BASE) % CONTROL_NODE != 0) {
      throw new ScriptException(
          ScriptError.TAPROOT_WRONG_CONTROL_SIZE, control.length + "-byte control block");
    }
    if ((control[0] & LEAF_MASK) != LEAF_TAPSCRIPT) {
      throw new ScriptException(
          ScriptError.TAPROOT_LEAF_VERSION_NOT_SUPPORTED,
          String.format("leaf version 0x%02x", control[0] & LEAF_MASK));
    }
    byte[] leafHash = tapleafHash(control[0] & LEAF_MASK, leafScript);
    if (!commitmentMatches(checker, control, commitment, leafHash)) {
      throw new ScriptException(ScriptError.TAPROOT_VERIFY_COMMITMENT_FAILED);
    }
    if (scriptPubKey.length == SIZE_WITH_STATE) {
      stack.add(Arrays.copyOfRange(scriptPubKey, SIZE_WITHOUT_STATE + 1, SIZE_WITH_STATE));
    }
    Interpreter leaf = new Interpreter(stack, flags, checker, leafHash);
    leaf.run(leafScript);
    ScriptVerifier.requireTrue(stack);
    ScriptVerifier.postConditions(stack, scriptSig, flags, leaf.sigChecks());
  }

  /** {@code TH("TapLeaf", version || compactSize(len) || script)}. */
  static byte[] tapleafHash(int version, byte[] script) {
    ByteWriter w = new ByteWriter(script.length + 6);
    w.u8(version).varBytes(script);
    return TaggedHash.hash("TapLeaf", w.toByteArray());
  }

  private static boolean commitmentMatches(
      TxChecker checker, byte[] control, byte[] commitment, byte[] leafHash) {
    byte[] node = leafHash;
    for (int off = CONTROL_BASE; off < control.length; off += CONTROL_NODE) {
      byte[] sibling = Arrays.copyOfRange(control, off, off + CONTROL_NODE);
      node =
          Arrays.compareUnsigned(node, sibling) < 0
              ? TaggedHash.hash("TapBranch", node, sibling)
              : TaggedHash.hash("TapBranch", sibling, node);
    }
    byte[] internal = Arrays.copyOf(control, CONTROL_BASE);
    // the parity of the internal key travels in the low bit of the first byte (33-byte keys)
    internal[0] = (byte) ((control[0] & 1) == 1 ? 0x03 : 0x02);
    return checker.tweakMatches(internal, node, commitment);
  }

  static boolean isPayToTaproot(byte[] s) {
    if (s.length < SIZE_WITHOUT_STATE
        || (s[0] & 0xff) != Opcode.OP_SCRIPTTYPE
        || (s[1] & 0xff) != Opcode.OP_1
        || s[2] != 33) {
      return false;
    }
    return s.length == SIZE_WITHOUT_STATE || (s.length == SIZE_WITH_STATE && s[36] == 32);
  }
}
