package org.lotusia.chain.chronik;

/**
 * Header details of a block.
 *
 * @param version header version
 * @param merkleRoot merkle root, big-endian (display) hex
 * @param nonce header nonce
 * @param medianTimestamp median time past, UNIX seconds
 */
public record BlockDetails(int version, String merkleRoot, long nonce, long medianTimestamp) {}
