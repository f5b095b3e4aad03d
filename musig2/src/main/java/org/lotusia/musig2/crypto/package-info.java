/**
 * MuSig2 multi-signatures over secp256k1, free of network and I/O.
 *
 * <p>Two variants live here:
 *
 * <ul>
 *   <li>{@link org.lotusia.musig2.crypto.LotusMuSig2} (the default): the Lotus-Schnorr variant,
 *       byte-compatible with lotus-sdk. Keys are auto-sorted 33-byte compressed points, the final
 *       signature is a 64-byte Lotus (Bitcoin-ABC 2019) Schnorr signature, and {@link
 *       org.lotusia.musig2.crypto.LotusMuSig2#taproot} gives the Lotus Taproot key-path form.
 *   <li>{@link org.lotusia.musig2.crypto.Bip327MuSig2}: the standard BIP327 algorithm with x-only
 *       keys, tweak accumulators, 66-byte nonces and BIP340 signatures ({@link
 *       org.lotusia.musig2.crypto.Bip340}).
 * </ul>
 *
 * <p>Nonce safety: every nonce generator mixes in fresh randomness; a {@link
 * org.lotusia.musig2.crypto.SecretNonce} signs once and is then destroyed; {@link
 * org.lotusia.musig2.crypto.MuSig2Session} walks the signing phases for one local signer and
 * refuses repeated or out-of-order inputs.
 *
 * <p>Curve arithmetic goes through the {@code Secp256k1Provider} of the chain module (BouncyCastle
 * by default).
 */
package org.lotusia.musig2.crypto;
