package org.lotusia.chain.chronik;

/**
 * The block a confirmed transaction is in.
 *
 * @param height block height
 * @param hash block hash, big-endian (display) hex
 * @param timestamp block header time, UNIX seconds
 */
public record BlockMetadata(int height, String hash, long timestamp) {}
