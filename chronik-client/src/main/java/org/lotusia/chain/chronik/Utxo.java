package org.lotusia.chain.chronik;

/**
 * An unspent output of a script.
 *
 * @param outpoint the output's txid (big-endian hex) and index
 * @param blockHeight height of the block that created it, or -1 while in the mempool
 * @param isCoinbase whether it was created by a coinbase transaction
 * @param value value in satoshis
 * @param network the network reported by the server
 */
public record Utxo(
    ChronikOutPoint outpoint, int blockHeight, boolean isCoinbase, long value, ChronikNetwork network) {}
