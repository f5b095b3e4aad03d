/**
 * Multiformats codecs used by libp2p identities and addresses: unsigned varints, base58btc and the
 * other multibases, multihashes (identity, SHA2-256) and CIDs. Stateless or immutable, and
 * thread-safe; malformed input throws {@link IllegalArgumentException} naming the problem.
 */
package org.lotusia.libp2p.multiformats;
