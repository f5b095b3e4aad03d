package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;
import org.lotusia.chain.taproot.LotusTaproot;

/**
 * Lotus Taproot for MuSig2 key-path spends (lotus-sdk {@code buildMuSigTaprootKey}, {@code
 * signTaprootKeyPathWithMuSig2}, reference section 2). The internal key is the full 33-byte
 * aggregate {@code Q}; the tweak {@code t = H_tag("TapTweak", cbytes(Q) || merkle_root)} (32 zero
 * bytes for a key-path-only output) and the output script {@code 62 51 21 <Q'>} come from the chain
 * module's {@link LotusTaproot}; the output key is {@code Q' = Q + t*G}. Signing with a tweaked
 * context is done by {@link LotusMuSig2}: the signer at sorted index 0 adds {@code e*t}. Stateless
 * and thread-safe.
 */
public final class LotusMuSig2Taproot {
  /**
   * SIGHASH_ALL | SIGHASH_LOTUS, the sighash type a Taproot key-path spend requires.
   *
   * @deprecated the constant has one home: use {@link LotusTaproot#KEY_PATH_SIGHASH}
   */
  @Deprecated(since = "0.1.0")
  public static final int KEY_PATH_SIGHASH = LotusTaproot.KEY_PATH_SIGHASH;

  private LotusMuSig2Taproot() {}

  /**
   * Tweaks a key-aggregation context for a Taproot output.
   *
   * @param curve the provider to compute {@code Q + t*G} with
   * @param ctx an untweaked context
   * @param merkleRoot 32 bytes; all zero for a key-path-only output
   * @return a context whose signing key is the output key {@code Q'}
   * @throws IllegalArgumentException if the context is already tweaked, the root is not 32 bytes,
   *     or {@code Q'} is infinity
   */
  public static LotusKeyAggContext tweak(
      Secp256k1Provider curve, LotusKeyAggContext ctx, byte[] merkleRoot) {
    Objects.requireNonNull(ctx, "ctx");
    if (ctx.isTaproot()) {
      throw new IllegalArgumentException("context is already Taproot-tweaked");
    }
    BigInteger t = LotusTaproot.tweak(ctx.aggregateKey(), merkleRoot);
    EcPoint out = curve.mulAdd(t, BigInteger.ONE, ctx.aggregateKey());
    if (out.isInfinity()) {
      throw new IllegalArgumentException("Taproot output key is infinity");
    }
    return ctx.withTweak(t, out);
  }

  /**
   * @param ctx a Taproot-tweaked context
   * @return the output script {@code 62 51 21 <cbytes(Q')>} to pay to
   */
  public static Script outputScript(LotusKeyAggContext ctx) {
    if (!ctx.isTaproot()) {
      throw new IllegalArgumentException("context is not Taproot-tweaked");
    }
    return Scripts.p2tr(ctx.signingKey().encodeCompressed());
  }

  /**
   * @param signature64 the aggregated Lotus Schnorr signature over the SIGHASH_LOTUS digest
   * @return the 65-byte key-path signature {@code sig || 0x61} (never lotus-sdk's {@code 0x00},
   *     reference 6.1 C6)
   */
  public static byte[] keyPathSignature(byte[] signature64) {
    if (signature64 == null || signature64.length != 64) {
      throw new IllegalArgumentException("signature must be 64 bytes");
    }
    return Points.concat(signature64, new byte[] {(byte) LotusTaproot.KEY_PATH_SIGHASH});
  }

  /**
   * @param signature64 the aggregated signature
   * @return the key-path input script: one push of {@code sig || 0x61}
   */
  public static Script keyPathInputScript(byte[] signature64) {
    return Scripts.p2trKeyPathInput(keyPathSignature(signature64));
  }
}
