package org.lotusia.chain.chronik;

/**
 * One input of a transaction as indexed by Chronik.
 *
 * @param prevOut the output being spent ({@code null} for a coinbase input)
 * @param inputScript scriptSig as lowercase hex
 * @param outputScript scriptPubKey of the spent output as lowercase hex (empty for coinbase)
 * @param value value of the spent output in satoshis
 * @param sequenceNo nSequence (unsigned 32-bit)
 */
public record ChronikTxInput(
    ChronikOutPoint prevOut, String inputScript, String outputScript, long value, long sequenceNo) {}
