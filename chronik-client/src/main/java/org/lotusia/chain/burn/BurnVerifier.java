package org.lotusia.chain.burn;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.chronik.ChronikClient;
import org.lotusia.chain.chronik.ChronikErrorException;
import org.lotusia.chain.chronik.ReversedHex;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.TxAndTip;
import org.lotusia.chain.chronik.ChronikTxOutput;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.script.LokadData;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptChunk;

/**
 * Checks on-chain burn outputs through Chronik (lotus-sdk {@code BurnVerifier}, with typed
 * results).
 *
 * <p>{@link #verify} fetches the transaction and the tip from one server, then checks, in this
 * order: the transaction exists, it is mined, the output exists, it is an OP_RETURN data output,
 * the amount, the LOKAD prefix, the version, the policy's format check, the minimum confirmations,
 * and maturation. The first failing rule is the {@link BurnVerification.Rejected#reason()}. Network
 * and server failures are not turned into rejections: the future fails with the {@link
 * org.lotusia.chain.chronik.ChronikException}.
 *
 * <p>Threading: thread-safe; futures complete on the Chronik client's threads.
 */
public final class BurnVerifier {

  private static final HexFormat HEX = HexFormat.of();

  private final ChronikClient chronik;

  /**
   * Creates a verifier.
   *
   * @param chronik the Chronik client to query (not closed by this class)
   */
  public BurnVerifier(ChronikClient chronik) {
    this.chronik = Objects.requireNonNull(chronik, "chronik");
  }

  /** Verifies with {@link BurnPolicy#lotusSdkDefault()} (maturation 100, no other rule). */
  public CompletableFuture<BurnVerification> verify(String txid, int outputIndex) {
    return verify(txid, outputIndex, BurnPolicy.lotusSdkDefault());
  }

  /**
   * Verifies one burn output against a policy.
   *
   * @param txid big-endian hex txid
   * @param outputIndex index of the burn output, 0 or more
   * @param policy the rules
   * @return the verdict; fails with a Chronik exception when the servers cannot answer
   * @throws IllegalArgumentException for a malformed txid or negative index
   */
  public CompletableFuture<BurnVerification> verify(
      String txid, int outputIndex, BurnPolicy policy) {
    ReversedHex.requireHash(txid);
    if (outputIndex < 0) {
      throw new IllegalArgumentException("output index must be >= 0, got " + outputIndex);
    }
    Objects.requireNonNull(policy, "policy");
    return chronik
        .txAndTip(txid)
        .handle(
            (tt, err) -> {
              if (err != null) {
                Throwable cause = unwrap(err);
                if (cause instanceof ChronikErrorException e && e.isNotFound()) {
                  return CompletableFuture.<BurnVerification>completedFuture(
                      new BurnVerification.Rejected(
                          BurnVerification.Reason.NOT_FOUND,
                          "transaction " + txid + " not found: " + e.errorMessage(),
                          null));
                }
                return CompletableFuture.<BurnVerification>failedFuture(cause);
              }
              return CompletableFuture.completedFuture(evaluate(tt, outputIndex, policy));
            })
        .thenCompose(f -> f);
  }

  /**
   * Applies a policy to a transaction and tip already fetched. Pure; exposed for callers that hold
   * the data already.
   *
   * @param tt the transaction and the tip from one server
   * @param outputIndex the burn output index
   * @param policy the rules
   * @return the verdict
   */
  public static BurnVerification evaluate(TxAndTip tt, int outputIndex, BurnPolicy policy) {
    Tx tx = tt.tx();
    if (!tx.isMined()) {
      return reject(BurnVerification.Reason.UNCONFIRMED, "transaction is not mined yet", null);
    }
    if (outputIndex >= tx.outputs().size()) {
      return reject(
          BurnVerification.Reason.NO_SUCH_OUTPUT,
          "transaction has " + tx.outputs().size() + " outputs, no index " + outputIndex,
          null);
    }
    ChronikTxOutput out = tx.outputs().get(outputIndex);
    byte[] script = out.outputScriptBytes();
    Script parsed = Script.of(script);
    if (!parsed.isDataOut()) {
      return reject(
          BurnVerification.Reason.NOT_DATA_OUTPUT,
          "output " + outputIndex + " is not an OP_RETURN data output",
          null);
    }
    int confirmations = tt.confirmations();
    boolean matured = policy.maturationPeriod() == 0 || confirmations >= policy.maturationPeriod();
    LokadData lokad = LokadData.parse(parsed).orElse(null);
    BurnOutput burn =
        new BurnOutput(
            tx.txid(),
            outputIndex,
            out.value(),
            tx.block().height(),
            confirmations,
            matured,
            out.outputScript(),
            lokad);
    if (out.value() < policy.minAmount()) {
      return reject(
          BurnVerification.Reason.AMOUNT_TOO_LOW,
          "burns " + out.value() + " sats, policy requires " + policy.minAmount(),
          burn);
    }
    if (policy.requiredPrefixHex() != null
        && (lokad == null || !HEX.formatHex(lokad.prefix()).equals(policy.requiredPrefixHex()))) {
      return reject(
          BurnVerification.Reason.WRONG_PREFIX,
          "LOKAD prefix is "
              + (lokad == null ? "absent" : HEX.formatHex(lokad.prefix()))
              + ", policy requires "
              + policy.requiredPrefixHex(),
          burn);
    }
    if (policy.requiredVersion() >= 0
        && (lokad == null || lokad.version() != policy.requiredVersion())) {
      return reject(
          BurnVerification.Reason.WRONG_VERSION,
          "LOKAD version is "
              + (lokad == null || lokad.version() < 0 ? "absent" : lokad.version())
              + ", policy requires "
              + policy.requiredVersion(),
          burn);
    }
    if (!policy.formatCheck().test(script.clone())) {
      return reject(
          BurnVerification.Reason.INVALID_PAYLOAD,
          "output script does not have the required format",
          burn);
    }
    if (confirmations < policy.minConfirmations()) {
      return reject(
          BurnVerification.Reason.INSUFFICIENT_CONFIRMATIONS,
          confirmations + " confirmations, policy requires " + policy.minConfirmations(),
          burn);
    }
    if (!matured) {
      return reject(
          BurnVerification.Reason.IMMATURE,
          confirmations + " of " + policy.maturationPeriod() + " confirmations for maturation",
          burn);
    }
    return new BurnVerification.Accepted(burn);
  }

  private static BurnVerification reject(
      BurnVerification.Reason reason, String detail, BurnOutput burn) {
    return new BurnVerification.Rejected(reason, detail, burn);
  }

  /**
   * Derives lotus-sdk's identity ID of a burn output: hex(SHA-256(txid bytes as displayed, not
   * reversed ‖ one byte output index)).
   *
   * @param txid big-endian hex txid
   * @param outputIndex 0..255; lotus-sdk silently keeps only the low 8 bits, which makes outputs
   *     256 apart collide, so larger indexes are rejected here
   * @return 64 lowercase hex characters
   * @throws IllegalArgumentException for a malformed txid or an index outside 0..255
   */
  public static String deriveIdentityId(String txid, int outputIndex) {
    byte[] id = HEX.parseHex(ReversedHex.requireHash(txid));
    if (outputIndex < 0 || outputIndex > 255) {
      throw new IllegalArgumentException(
          "identity burns must be at output index 0..255, got " + outputIndex);
    }
    return HEX.formatHex(
        Hashes.sha256(ByteBuffer.allocate(33).put(id).put((byte) outputIndex).array()));
  }

  /**
   * Checks that a script is a data output whose first push is exactly the 4-byte prefix.
   *
   * @param script output script bytes
   * @param expectedPrefix the 4-byte LOKAD prefix
   * @return true if it matches
   */
  public static boolean hasLokadPrefix(byte[] script, byte[] expectedPrefix) {
    if (expectedPrefix.length != 4) {
      throw new IllegalArgumentException("LOKAD prefix must be 4 bytes");
    }
    Script s = Script.of(script);
    if (!s.isDataOut()) {
      return false;
    }
    java.util.List<ScriptChunk> chunks = s.chunks();
    return chunks.size() >= 2 && java.util.Arrays.equals(chunks.get(1).data(), expectedPrefix);
  }

  /**
   * Reads the compressed public key at the start of a LOKAD payload, checking it is on the curve.
   *
   * @param payload the payload
   * @return the 33-byte key, or empty
   */
  public static Optional<byte[]> parsePublicKeyFromLokad(byte[] payload) {
    return LtmsIdentityBurn.parsePublicKey(payload);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
