package org.lotusia.chain.chronik;

/**
 * Summary of one block.
 *
 * @param hash block hash, big-endian (display) hex
 * @param prevHash previous block hash, big-endian (display) hex
 * @param height block height
 * @param nBits compact target (unsigned 32-bit)
 * @param timestamp header time, UNIX seconds
 * @param blockSize size in bytes
 * @param numTxs number of transactions
 * @param numInputs number of inputs, including the coinbase's
 * @param numOutputs number of outputs, including the coinbase's
 * @param sumInputSats satoshis spent by all inputs
 * @param sumCoinbaseOutputSats block reward paid by the coinbase
 * @param sumNormalOutputSats satoshis in non-coinbase outputs
 * @param sumBurnedSats satoshis burned in OP_RETURN outputs
 */
public record BlockInfo(
    String hash,
    String prevHash,
    int height,
    long nBits,
    long timestamp,
    long blockSize,
    long numTxs,
    long numInputs,
    long numOutputs,
    long sumInputSats,
    long sumCoinbaseOutputSats,
    long sumNormalOutputSats,
    long sumBurnedSats) {}
