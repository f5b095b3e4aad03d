package org.lotusia.chain.crypto;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6979 section 3.2 deterministic nonce generator (HMAC-SHA256) for secp256k1, with optional additional
 * data appended to the seed ({@code x || h1 || extra}), as libsecp256k1's {@code nonce_function_rfc6979} does.
 *
 * <p>Not thread-safe: one instance per signature.
 */
final class Rfc6979 {

    private final Mac mac;
    private byte[] k = new byte[32];
    private byte[] v = new byte[32];
    private boolean first = true;

    /**
     * @param key32 secret key, 32 bytes big-endian
     * @param msg32 message hash, 32 bytes
     * @param extra additional data (may be null)
     */
    Rfc6979(byte[] key32, byte[] msg32, byte[] extra) {
        try {
            mac = Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
        java.util.Arrays.fill(v, (byte) 0x01);
        k = hmac(k, v, new byte[] {0x00}, key32, msg32, extra);
        v = hmac(k, v);
        k = hmac(k, v, new byte[] {0x01}, key32, msg32, extra);
        v = hmac(k, v);
    }

    /** Next candidate nonce in [1, n-1] (the RFC 6979 retry loop). */
    BigInteger next() {
        while (true) {
            if (!first) {
                k = hmac(k, v, new byte[] {0x00});
                v = hmac(k, v);
            }
            first = false;
            v = hmac(k, v);
            BigInteger candidate = new BigInteger(1, v);
            if (candidate.signum() > 0 && candidate.compareTo(Secp256k1.N) < 0) {
                return candidate;
            }
        }
    }

    private byte[] hmac(byte[] key, byte[]... parts) {
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
        for (byte[] p : parts) {
            if (p != null) {
                mac.update(p);
            }
        }
        return mac.doFinal();
    }
}
