package org.lotusia.chainsim.ledger;

import java.util.HexFormat;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chain.tx.TxMerkle;

/**
 * A block of the simulated chain. There is no proof of work: the header is the simulator's own
 * layout ({@code version u32 || prevHash 32 || merkleRoot 32 || timestamp u64 || height u32 ||
 * nBits u32}, little-endian) and the block hash is its double SHA-256, shown reversed like every
 * Lotus hash. The merkle root is taken over the txids (Lotus txids, which omit input scripts).
 * Immutable.
 *
 * @param height height, 0 for genesis
 * @param prevHash previous block hash in internal order (zeros for genesis)
 * @param timestamp block time, UNIX seconds
 * @param txs transactions, coinbase first
 */
public record SimBlock(int height, byte[] prevHash, long timestamp, List<Transaction> txs) {

  /** The fixed difficulty bits written in headers (regtest's minimum difficulty). */
  public static final long N_BITS = 0x207fffffL;

  /** Copies the list. */
  public SimBlock {
    prevHash = prevHash.clone();
    txs = List.copyOf(txs);
  }

  @Override
  public byte[] prevHash() {
    return prevHash.clone();
  }

  /** Merkle root over the txids (internal order). */
  public byte[] merkleRoot() {
    return TxMerkle.compute(txs.stream().map(Transaction::txidBytes).toList()).root();
  }

  /** The serialized header (86 bytes). */
  public byte[] header() {
    ByteWriter w = new ByteWriter(86);
    w.u32(1).bytes(prevHash).bytes(merkleRoot()).u64(timestamp).u32(height).u32(N_BITS);
    return w.toByteArray();
  }

  /** The block hash in internal order. */
  public byte[] hash() {
    return Hashes.sha256d(header());
  }

  /** The block hash as displayed (reversed hex). */
  public String hashHex() {
    byte[] h = hash();
    byte[] r = new byte[32];
    for (int i = 0; i < 32; i++) {
      r[i] = h[31 - i];
    }
    return HexFormat.of().formatHex(r);
  }

  /** Serialized size: header, transaction count and transactions. */
  public long size() {
    long n = 86 + ByteWriter.varIntSize(txs.size());
    for (Transaction t : txs) {
      n += t.size();
    }
    return n;
  }
}
