package org.lotusia.chain.chronik;

/**
 * The chain tip as seen by one Chronik server.
 *
 * @param tipHash hash of the tip block, big-endian (display) hex
 * @param tipHeight height of the tip block (genesis is 0)
 */
public record BlockchainInfo(String tipHash, int tipHeight) {}
