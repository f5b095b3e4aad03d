/**
 * libp2p keys: the four key types of the peer-id specification ({@link
 * org.lotusia.libp2p.crypto.KeyType}), their deterministic protobuf encodings, signing and
 * verification ({@link org.lotusia.libp2p.crypto.Keys}), and private key files ({@link
 * org.lotusia.libp2p.crypto.KeyFiles}). Ed25519 is the default identity.
 *
 * <p>All key objects are immutable and thread-safe. Malformed keys throw {@link
 * IllegalArgumentException}; signature verification never throws for malformed signatures, it
 * returns {@code false}.
 */
package org.lotusia.libp2p.crypto;
