package org.lotusia.libp2p.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 keys on BouncyCastle's lightweight API (much faster than the JDK provider). Public key: the
 * 32-byte RFC 8032 encoding. Private key Data: {@code seed || public key} (64 bytes); the legacy 96-byte form
 * {@code seed || public || public} is accepted when both public copies agree.
 */
final class Ed25519Keys {

    static final int KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    private Ed25519Keys() {
    }

    static PrivateKey fromSeed(byte[] seed) {
        if (seed.length != KEY_SIZE) {
            throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, got " + seed.length);
        }
        return new Priv(new Ed25519PrivateKeyParameters(seed, 0));
    }

    static PrivateKey generate() {
        return new Priv(new Ed25519PrivateKeyParameters(Keys.random()));
    }

    static PublicKey decodePublic(byte[] raw) {
        if (raw.length != KEY_SIZE) {
            throw new IllegalArgumentException("Ed25519 public key must be 32 bytes, got " + raw.length);
        }
        Ed25519PublicKeyParameters params;
        try {
            params = new Ed25519PublicKeyParameters(raw, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Ed25519 public key is not a valid curve point", e);
        }
        return new Pub(params, raw.clone());
    }

    static PrivateKey decodePrivate(byte[] data) {
        if (data.length != 64 && data.length != 96) {
            throw new IllegalArgumentException("Ed25519 private key must be 64 (or legacy 96) bytes, got "
                    + data.length);
        }
        if (data.length == 96 && !MessageDigest.isEqual(Arrays.copyOfRange(data, 32, 64),
                Arrays.copyOfRange(data, 64, 96))) {
            throw new IllegalArgumentException("legacy 96-byte Ed25519 private key has two different public keys");
        }
        Priv key = new Priv(new Ed25519PrivateKeyParameters(data, 0));
        if (!MessageDigest.isEqual(key.publicKey().raw(), Arrays.copyOfRange(data, 32, 64))) {
            throw new IllegalArgumentException("Ed25519 private key's public half does not match its seed");
        }
        return key;
    }

    /** Ed25519 public key. */
    static final class Pub extends AbstractPublicKey {
        private final Ed25519PublicKeyParameters params;

        Pub(Ed25519PublicKeyParameters params, byte[] raw) {
            super(KeyType.ED25519, raw);
            this.params = params;
        }

        @Override
        public boolean verify(byte[] data, byte[] signature) {
            if (signature.length != SIGNATURE_SIZE) {
                return false;
            }
            return params.verify(Ed25519.Algorithm.Ed25519, null, data, 0, data.length, signature, 0);
        }
    }

    /** Ed25519 private key. */
    static final class Priv extends AbstractPrivateKey {
        private final Ed25519PrivateKeyParameters params;
        private final Pub publicKey;

        Priv(Ed25519PrivateKeyParameters params) {
            super(KeyType.ED25519);
            this.params = params;
            Ed25519PublicKeyParameters pub = params.generatePublicKey();
            this.publicKey = new Pub(pub, pub.getEncoded());
        }

        @Override
        public PublicKey publicKey() {
            return publicKey;
        }

        @Override
        public byte[] sign(byte[] data) {
            byte[] sig = new byte[SIGNATURE_SIZE];
            params.sign(Ed25519.Algorithm.Ed25519, publicKey.params, null, data, 0, data.length, sig, 0);
            return sig;
        }

        @Override
        public byte[] encoded() {
            byte[] data = new byte[64];
            params.encode(data, 0);
            System.arraycopy(publicKey.rawRef(), 0, data, 32, 32);
            byte[] out = KeyProtobuf.encodePrivate(KeyType.ED25519, data);
            Arrays.fill(data, (byte) 0);
            return out;
        }
    }
}
