package org.lotusia.chain.sign;

import java.util.Arrays;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.EcdsaSignature;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.crypto.Secp256k1Provider;
import org.lotusia.chain.sighash.SigHashType;

/**
 * Transaction signatures as they appear in scripts: {@code DER(r,s) || hashType} for ECDSA and
 * {@code r(32) || s(32) || hashType} for Lotus Schnorr. A script signature of exactly 65 bytes (64 without the
 * type byte) is Schnorr, anything else DER ECDSA (lotusd {@code VerifySignature}). Stateless, thread-safe.
 */
public final class TxSignatures {

    private TxSignatures() {
    }

    /** ECDSA (RFC 6979, low S) over the digest, DER-encoded, with the type byte appended. */
    public static byte[] ecdsa(PrivateKey key, byte[] digest32, int typeByte) {
        return append(key.signEcdsa(digest32).toDer(), typeByte);
    }

    /** Lotus Schnorr over the digest with the type byte appended (65 bytes). */
    public static byte[] schnorr(PrivateKey key, byte[] digest32, int typeByte) {
        return append(key.signSchnorr(digest32), typeByte);
    }

    /** The hash type byte of a script signature. @throws IllegalArgumentException if empty */
    public static int typeByte(byte[] scriptSig) {
        if (scriptSig == null || scriptSig.length == 0) {
            throw new IllegalArgumentException("empty signature has no hash type");
        }
        return scriptSig[scriptSig.length - 1] & 0xff;
    }

    /** True if the script signature is a Lotus Schnorr signature (65 bytes including the type byte). */
    public static boolean isSchnorr(byte[] scriptSig) {
        return scriptSig != null && scriptSig.length == 65;
    }

    /**
     * Verifies a script signature against a digest: Schnorr if 65 bytes, otherwise strict-DER low-S ECDSA.
     * Returns false (never throws) for malformed signatures. The caller computes the digest for
     * {@link #typeByte(byte[])}.
     */
    public static boolean verify(Secp256k1Provider provider, byte[] scriptSig, EcPoint publicKey, byte[] digest32) {
        if (scriptSig == null || scriptSig.length < 2) {
            return false;
        }
        if (SigHashType.algorithm(typeByte(scriptSig)) == 0x20) {
            return false;
        }
        byte[] body = Arrays.copyOf(scriptSig, scriptSig.length - 1);
        if (isSchnorr(scriptSig)) {
            return LotusSchnorr.verify(provider, body, publicKey, digest32);
        }
        EcdsaSignature sig;
        try {
            sig = EcdsaSignature.fromDer(body);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return sig.isLowS() && provider.ecdsaVerify(sig.r(), sig.s(), publicKey, digest32);
    }

    private static byte[] append(byte[] sig, int typeByte) {
        if (typeByte < 0 || typeByte > 0xff) {
            throw new IllegalArgumentException("hash type must be one byte: " + typeByte);
        }
        byte[] out = Arrays.copyOf(sig, sig.length + 1);
        out[sig.length] = (byte) typeByte;
        return out;
    }
}
