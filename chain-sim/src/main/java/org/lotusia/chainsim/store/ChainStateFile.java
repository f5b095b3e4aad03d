package org.lotusia.chainsim.store;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.address.Network;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.chain.encoding.ByteReader;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.tx.Transaction;
import org.lotusia.chainsim.ledger.SimBlock;

/**
 * Saves and loads a simulated chain: the blocks, the mempool and the faucet key.
 *
 * <p>Format (little-endian): {@code "LOTUSSIM" || u32 version(1) || u8 network char || 32-byte
 * faucet key || varint blocks || blocks || varint mempool txs || txs || SHA-256 of everything
 * before}. A block is {@code u32 height || 32-byte prev hash || u64 timestamp || varint txs ||
 * txs}, a transaction {@code varint length || serialization}. The file is written to a temporary
 * sibling and moved into place, so a crash never leaves half a file; it holds a private key and is
 * meant for test chains only.
 *
 * <p>Stateless; each call reads or writes one file.
 */
public final class ChainStateFile {

  private static final byte[] MAGIC = "LOTUSSIM".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_TX_BYTES = 1_000_000;

  /** What a state file holds. */
  public record State(Network network, PrivateKey faucetKey, List<SimBlock> blocks, List<Transaction> mempool) {
    /** Copies the lists. */
    public State {
      blocks = List.copyOf(blocks);
      mempool = List.copyOf(mempool);
    }
  }

  private ChainStateFile() {}

  /**
   * Writes the state atomically.
   *
   * @throws IOException if the file cannot be written
   */
  public static void save(Path file, State state) throws IOException {
    ByteWriter w = new ByteWriter();
    w.bytes(MAGIC).u32(VERSION).u8(state.network().addressChar()).bytes(state.faucetKey().toBytes());
    w.varInt(state.blocks().size());
    for (SimBlock b : state.blocks()) {
      w.u32(b.height()).bytes(b.prevHash()).u64(b.timestamp()).varInt(b.txs().size());
      for (Transaction tx : b.txs()) {
        w.varBytes(tx.serialize());
      }
    }
    w.varInt(state.mempool().size());
    for (Transaction tx : state.mempool()) {
      w.varBytes(tx.serialize());
    }
    byte[] body = w.toByteArray();
    byte[] out = Arrays.copyOf(body, body.length + 32);
    System.arraycopy(Hashes.sha256(body), 0, out, body.length, 32);
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
    try {
      Files.write(tmp, out);
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Reads a state file.
   *
   * @throws IOException if it cannot be read, or, with a message naming the file and what is
   *     wrong, if it is not a chain state file or is corrupt
   */
  public static State load(Path file) throws IOException {
    byte[] all = Files.readAllBytes(file);
    try {
      if (all.length < MAGIC.length + 4 + 1 + 32 + 32
          || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
        throw new IllegalArgumentException("not a chain simulator state file (bad magic)");
      }
      byte[] body = Arrays.copyOf(all, all.length - 32);
      byte[] sum = Arrays.copyOfRange(all, all.length - 32, all.length);
      if (!Arrays.equals(Hashes.sha256(body), sum)) {
        throw new IllegalArgumentException("checksum mismatch (truncated or modified)");
      }
      ByteReader r = new ByteReader(body);
      r.bytes(MAGIC.length, "magic");
      long version = r.u32("version");
      if (version != VERSION) {
        throw new IllegalArgumentException("unsupported version " + version + " (expected " + VERSION + ")");
      }
      Network network = Network.fromAddressChar((char) r.u8("network"));
      PrivateKey faucet = PrivateKey.fromBytes(r.bytes(32, "faucet key"));
      long nBlocks = r.varInt("block count", Integer.MAX_VALUE);
      List<SimBlock> blocks = new ArrayList<>();
      for (long i = 0; i < nBlocks; i++) {
        int height = (int) r.u32("block height");
        byte[] prev = r.bytes(32, "block prev hash");
        long time = r.u64("block timestamp");
        long nTx = r.varInt("block tx count", 1_000_000);
        List<Transaction> txs = new ArrayList<>();
        for (long k = 0; k < nTx; k++) {
          txs.add(Transaction.parse(r.varBytes("block " + height + " tx " + k, MAX_TX_BYTES)));
        }
        blocks.add(new SimBlock(height, prev, time, txs));
      }
      long nPool = r.varInt("mempool count", 1_000_000);
      List<Transaction> pool = new ArrayList<>();
      for (long k = 0; k < nPool; k++) {
        pool.add(Transaction.parse(r.varBytes("mempool tx " + k, MAX_TX_BYTES)));
      }
      if (r.remaining() != 0) {
        throw new IllegalArgumentException(r.remaining() + " trailing bytes");
      }
      return new State(network, faucet, blocks, pool);
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new IOException("chain state file " + file + " is corrupt: " + e.getMessage(), e);
    }
  }
}
