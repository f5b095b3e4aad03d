package org.lotusia.chain.chronik;

import java.util.List;
import java.util.Optional;

/**
 * A transaction as indexed by Chronik.
 *
 * @param txid txid as big-endian (display) hex; Chronik sends it little-endian and the client
 *     reverses it
 * @param version nVersion
 * @param inputs the inputs, in order
 * @param outputs the outputs, in order
 * @param lockTime nLockTime (unsigned 32-bit)
 * @param block the block containing the transaction, or {@code null} while it is in the mempool
 * @param timeFirstSeen UNIX seconds the server first saw it, 0 if unknown
 * @param size serialised size in bytes
 * @param isCoinbase whether it is a coinbase transaction
 * @param network the network reported by the server
 */
public record Tx(
    String txid,
    int version,
    List<ChronikTxInput> inputs,
    List<ChronikTxOutput> outputs,
    long lockTime,
    BlockMetadata block,
    long timeFirstSeen,
    int size,
    boolean isCoinbase,
    ChronikNetwork network) {

  /** Copies the lists so the record is immutable. */
  public Tx {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
  }

  /** Returns the containing block, empty while the transaction is unconfirmed. */
  public Optional<BlockMetadata> blockMetadata() {
    return Optional.ofNullable(block);
  }

  /** Returns true when the transaction is mined in a block. */
  public boolean isMined() {
    return block != null;
  }
}
