package org.lotusia.chain.burn;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.lotusia.chain.chronik.Tx;
import org.lotusia.chain.chronik.ChronikTxOutput;
import org.lotusia.chain.script.Opcodes;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.ScriptChunk;

/**
 * The SwapSig anti-Sybil burn output of lotus-sdk ({@code lib/p2p/swapsig/burn.ts}):
 *
 * <pre>
 *   6a                          OP_RETURN
 *   0c 535741505349475f4255524e push "SWAPSIG_BURN"
 *   20 &lt;32-byte pool id&gt;        push pool id (omitted when the pool id is not in the burn)
 *   01 01                       push version 0x01
 * </pre>
 *
 * The output value is the burn amount. There is no 4-byte LOKAD prefix in this format.
 *
 * @param poolIdHex the 32-byte pool id as lowercase hex, or {@code null} when the burn has none
 * @param version the version byte
 */
public record SwapSigBurn(String poolIdHex, int version) {

  /** The identifier pushed first, "SWAPSIG_BURN". */
  public static final String IDENTIFIER = "SWAPSIG_BURN";

  /** The current format version. */
  public static final int VERSION = 1;

  /** Default share of the swap amount burned: 0.1 %. */
  public static final double DEFAULT_PERCENTAGE = 0.001;

  /** Smallest allowed burn share: 0.05 %. */
  public static final double MIN_PERCENTAGE = 0.0005;

  /** Largest allowed burn share: 1 %. */
  public static final double MAX_PERCENTAGE = 0.01;

  /** Smallest burn in satoshis. */
  public static final long MINIMUM_BURN = 100;

  /** Largest burn in satoshis. */
  public static final long MAXIMUM_BURN = 10_000;

  private static final byte[] ID_BYTES = IDENTIFIER.getBytes(StandardCharsets.UTF_8);
  private static final HexFormat HEX = HexFormat.of();

  /** Returns the burn for a swap amount at the default share. */
  public static long burnAmount(long swapAmount) {
    return burnAmount(swapAmount, DEFAULT_PERCENTAGE);
  }

  /**
   * Returns {@code max(100, min(floor(swapAmount * percentage), 10000))}, computed in IEEE double
   * like lotus-sdk.
   *
   * @param swapAmount the denomination in satoshis, 0 or more
   * @param percentage the share, within [{@value #MIN_PERCENTAGE}, {@value #MAX_PERCENTAGE}]
   * @throws IllegalArgumentException for a negative amount or a share out of range
   */
  public static long burnAmount(long swapAmount, double percentage) {
    if (swapAmount < 0) {
      throw new IllegalArgumentException("swap amount must be >= 0, got " + swapAmount);
    }
    if (!(percentage >= MIN_PERCENTAGE && percentage <= MAX_PERCENTAGE)) {
      throw new IllegalArgumentException(
          "burn percentage must be within ["
              + MIN_PERCENTAGE
              + ", "
              + MAX_PERCENTAGE
              + "], got "
              + percentage);
    }
    long raw = (long) Math.floor(swapAmount * percentage);
    return Math.max(MINIMUM_BURN, Math.min(raw, MAXIMUM_BURN));
  }

  /**
   * Builds the burn script with a pool id.
   *
   * @param poolIdHex 64 hex characters (either case); anything else is rejected, unlike lotus-sdk,
   *     which silently truncates at the first non-hex character
   * @return the 49-byte script
   */
  public static byte[] script(String poolIdHex) {
    if (poolIdHex == null || poolIdHex.length() != 64) {
      throw new IllegalArgumentException("pool id must be 64 hex characters, got: " + poolIdHex);
    }
    return build(HEX.parseHex(poolIdHex));
  }

  /** Builds the 16-byte burn script without a pool id. */
  public static byte[] scriptWithoutPoolId() {
    return build(null);
  }

  private static byte[] build(byte[] poolId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(49);
    out.write(Opcodes.OP_RETURN);
    out.write(ID_BYTES.length);
    out.writeBytes(ID_BYTES);
    if (poolId != null) {
      out.write(32);
      out.writeBytes(poolId);
    }
    out.write(1);
    out.write(VERSION);
    return out.toByteArray();
  }

  /**
   * Parses an output script as a SwapSig burn. Trailing extra pushes are allowed, as in lotus-sdk.
   *
   * @param script output script bytes
   * @return the burn's pool id and version, or empty if the script is not a SwapSig burn
   */
  public static Optional<SwapSigBurn> parse(byte[] script) {
    Script s = Script.of(script);
    if (!s.isDataOut()) {
      return Optional.empty();
    }
    java.util.List<ScriptChunk> c = s.chunks();
    if (c.size() < 3 || !Arrays.equals(c.get(1).data(), ID_BYTES)) {
      return Optional.empty();
    }
    if (c.get(2).dataLength() == 32 && c.size() >= 4 && c.get(3).dataLength() >= 1) {
      return Optional.of(
          new SwapSigBurn(HEX.formatHex(c.get(2).data()), c.get(3).data()[0] & 0xff));
    }
    if (c.get(2).dataLength() >= 1 && c.get(2).dataLength() != 32) {
      return Optional.of(new SwapSigBurn(null, c.get(2).data()[0] & 0xff));
    }
    return Optional.empty();
  }

  /**
   * Finds the burn of a pool in a transaction: the first output, among all of them, that is a
   * version-1 SwapSig burn of that pool burning at least {@code minAmount}. lotus-sdk looks only at
   * the first OP_RETURN output and demands the exact amount.
   *
   * @param tx the transaction
   * @param minAmount smallest accepted burn in satoshis
   * @param poolIdHex the pool id (either case)
   * @return the output index, or empty when there is no such output
   */
  public static OptionalInt find(Tx tx, long minAmount, String poolIdHex) {
    String want = poolIdHex.toLowerCase(Locale.ROOT);
    for (int i = 0; i < tx.outputs().size(); i++) {
      ChronikTxOutput out = tx.outputs().get(i);
      if (out.value() >= minAmount && matches(out.outputScriptBytes(), want)) {
        return OptionalInt.of(i);
      }
    }
    return OptionalInt.empty();
  }

  private static boolean matches(byte[] script, String poolIdLower) {
    return parse(script)
        .filter(b -> b.version() == VERSION && poolIdLower.equals(b.poolIdHex()))
        .isPresent();
  }

  /**
   * A {@link BurnPolicy} for a SwapSig setup burn: no maturation, {@code requiredConfirmations}
   * confirmations, at least {@code minAmount}, a version-1 burn of the given pool.
   *
   * @param minAmount required burn, usually {@link #burnAmount(long)} of the denomination
   * @param poolIdHex the pool id
   * @param requiredConfirmations confirmations of the setup transaction (lotus-sdk default 1)
   */
  public static BurnPolicy policy(long minAmount, String poolIdHex, int requiredConfirmations) {
    String want = poolIdHex.toLowerCase(Locale.ROOT);
    return BurnPolicy.builder()
        .maturationPeriod(0)
        .minConfirmations(requiredConfirmations)
        .minAmount(minAmount)
        .formatCheck(script -> matches(script, want))
        .build();
  }
}
