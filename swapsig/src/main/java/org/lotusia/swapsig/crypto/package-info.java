/**
 * SwapSig's own cryptography: destinations encrypted to co-signers ({@link
 * org.lotusia.swapsig.crypto.DestinationCipher}) and the tagged digests of ownership proofs and
 * destination commitments ({@link org.lotusia.swapsig.crypto.PoolDigests}).
 */
package org.lotusia.swapsig.crypto;
