package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * Lotus Taproot for MuSig2 key-path spends (lotus-sdk {@code buildMuSigTaprootKey},
 * {@code signTaprootKeyPathWithMuSig2}): the internal key is the full 33-byte aggregate {@code Q},
 * {@code t = H_tag("TapTweak", cbytes(Q) || merkle_root)} with a 32-zero-byte merkle root for key-path-only
 * outputs, the output key is {@code Q' = Q + t*G} (no parity negation), and the output script is
 * {@code OP_SCRIPTTYPE OP_1 <33-byte Q'>} ({@code 62 51 21 ...}). Signing with a tweaked context is done by
 * {@link LotusMuSig2}; the signer at sorted index 0 adds {@code e*t}. Stateless and thread-safe.
 */
public final class LotusTaproot {
    /** SIGHASH_ALL | SIGHASH_LOTUS, the sighash type a Taproot key-path spend requires. */
    public static final int SIGHASH_ALL_LOTUS = 0x61;

    private LotusTaproot() {
    }

    /**
     * @param internalKey the 33-byte compressed internal key
     * @param merkleRoot 32 bytes (all zero for key-path only)
     * @return {@code H_tag("TapTweak", internalKey || merkleRoot)}
     */
    public static byte[] tapTweak(byte[] internalKey, byte[] merkleRoot) {
        if (internalKey == null || internalKey.length != 33) {
            throw new IllegalArgumentException("internal key must be 33 bytes compressed");
        }
        if (merkleRoot == null || merkleRoot.length != 32) {
            throw new IllegalArgumentException("merkle root must be 32 bytes");
        }
        return TaggedHasher.TAP_TWEAK.hash(internalKey, merkleRoot);
    }

    /**
     * Tweaks a key-aggregation context for a Taproot output.
     *
     * @param curve the provider to compute {@code Q + t*G} with
     * @param ctx an untweaked context
     * @param merkleRoot 32 bytes; all zero for a key-path-only output
     * @return a context whose signing key is the output key {@code Q'}
     */
    public static LotusKeyAggContext tweak(Secp256k1Provider curve, LotusKeyAggContext ctx, byte[] merkleRoot) {
        Objects.requireNonNull(ctx, "ctx");
        BigInteger t = Scalars.toInt(tapTweak(ctx.aggregateKey().encodeCompressed(), merkleRoot)).mod(Scalars.N);
        EcPoint out = curve.add(ctx.aggregateKey(), curve.mulG(t));
        if (out.isInfinity()) {
            throw new IllegalArgumentException("Taproot output key is infinity");
        }
        return ctx.withTweak(t, out);
    }

    /**
     * @param outputKey the tweaked output key {@code Q'}
     * @return the 36-byte scriptPubKey {@code 62 51 21 <cbytes(Q')>}
     */
    public static byte[] scriptPubKey(EcPoint outputKey) {
        return Points.concat(new byte[] {0x62, 0x51, 0x21}, outputKey.encodeCompressed());
    }

    /**
     * @param outputKey the tweaked output key
     * @param state a 32-byte state commitment
     * @return the 69-byte scriptPubKey {@code 62 51 21 <Q'> 20 <state>}
     */
    public static byte[] scriptPubKey(EcPoint outputKey, byte[] state) {
        if (state == null || state.length != 32) {
            throw new IllegalArgumentException("Taproot state must be 32 bytes");
        }
        return Points.concat(scriptPubKey(outputKey), new byte[] {0x20}, state);
    }

    /**
     * @param signature64 a Lotus Schnorr signature
     * @param sighashType the sighash byte (must include SIGHASH_LOTUS 0x60 for Taproot)
     * @return the 65-byte transaction form {@code sig || sighashType}
     */
    public static byte[] txSignature(byte[] signature64, int sighashType) {
        if (signature64 == null || signature64.length != 64) {
            throw new IllegalArgumentException("signature must be 64 bytes");
        }
        if ((sighashType & 0x60) != 0x60) {
            throw new IllegalArgumentException(String.format(
                    "Taproot key-path sighash type must include SIGHASH_LOTUS (0x60), got 0x%02x", sighashType));
        }
        return Points.concat(signature64, new byte[] {(byte) sighashType});
    }
}
