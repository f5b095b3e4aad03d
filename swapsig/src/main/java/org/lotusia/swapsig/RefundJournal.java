package org.lotusia.swapsig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.lotusia.swapsig.wire.CanonicalJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory of signed refunds, one file per setup transaction this node handed in, written
 * before the setup transaction leaves the node. After a restart, the manager refunds every shared
 * output these files name by itself once its lock expires (see {@link RefundRecovery}); a file is
 * removed once nothing of its pool can still move the funds. A file holds no private key: the
 * refund is signed when the file is written.
 *
 * <p>Writes go to a temporary file that is forced to disk and then moved into place, so a crash
 * leaves either the old state or the new one. A file that does not parse is kept and logged, never
 * deleted. Confined to the service thread.
 */
final class RefundJournal {

  private static final Logger LOG = LoggerFactory.getLogger(RefundJournal.class);
  private static final Pattern NAME = Pattern.compile("[0-9a-f]{1,64}-[0-9]{1,9}\\.json");
  private static final long MAX_FILE = 64 * 1024;

  /**
   * One signed refund.
   *
   * @param poolId the pool
   * @param round the roster round of the setup transaction
   * @param inputTxid the funded coin's txid (display hex)
   * @param inputIndex the funded coin's output index
   * @param setupTxid the setup transaction, whose output 0 is the shared output
   * @param refundTx the signed refund of the shared output, hex
   * @param refundAmount what the refund pays
   * @param lockBlocks the refund leaf's relative lock in blocks
   * @param confirmations confirmations the refund needs before it counts
   * @param guardUntil until when (epoch ms) a setup transaction that is not on the chain yet may
   *     still appear there (others hold it signed)
   */
  record Entry(
      String poolId,
      int round,
      String inputTxid,
      int inputIndex,
      String setupTxid,
      String refundTx,
      long refundAmount,
      int lockBlocks,
      int confirmations,
      long guardUntil) {

    Entry {
      Objects.requireNonNull(poolId, "poolId");
      Objects.requireNonNull(inputTxid, "inputTxid");
      Objects.requireNonNull(setupTxid, "setupTxid");
      Objects.requireNonNull(refundTx, "refundTx");
      if (!poolId.matches("[0-9a-f]{1,64}") || round < 0 || inputIndex < 0 || lockBlocks < 1
          || confirmations < 1 || refundAmount < 1) {
        throw new IllegalArgumentException("refund journal entry out of range: " + poolId + "/" + round);
      }
    }

    String fileName() {
      return poolId + "-" + round + ".json";
    }
  }

  private final Path dir;

  /**
   * @param dir the directory; created if missing
   * @throws UncheckedIOException if it cannot be created
   */
  RefundJournal(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the refund journal " + dir, e);
    }
  }

  /**
   * Records an entry durably, replacing one of the same pool and round.
   *
   * @throws UncheckedIOException if it cannot be written (the setup transaction must then not be
   *     handed in)
   */
  void record(Entry e) {
    ObjectNode n = CanonicalJson.MAPPER.valueToTree(e);
    Path target = dir.resolve(e.fileName());
    Path tmp = dir.resolve(e.fileName() + ".tmp");
    try {
      try (FileChannel ch =
          FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ch.write(ByteBuffer.wrap(CanonicalJson.MAPPER.writeValueAsBytes(n)));
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException x) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException x) {
      throw new UncheckedIOException("cannot write the refund journal entry " + target, x);
    }
  }

  /** Removes every entry of a pool; a failure is logged (the entry is then checked again later). */
  void removePool(String poolId) {
    for (Entry e : entries()) {
      if (e.poolId().equals(poolId)) {
        remove(e);
      }
    }
  }

  /** Removes one entry; a failure is logged. */
  void remove(Entry e) {
    try {
      Files.deleteIfExists(dir.resolve(e.fileName()));
    } catch (IOException x) {
      LOG.warn("cannot remove the refund journal entry {}: {}", e.fileName(), x.toString());
    }
  }

  /** @return every entry that parses; the others are logged and left in place */
  List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (!NAME.matcher(name).matches()) {
          continue;
        }
        try {
          if (Files.size(f) > MAX_FILE) {
            throw new IllegalArgumentException("larger than " + MAX_FILE + " bytes");
          }
          JsonNode n = CanonicalJson.MAPPER.readTree(Files.readString(f, StandardCharsets.UTF_8));
          Entry e = CanonicalJson.MAPPER.treeToValue(n, Entry.class);
          if (!e.fileName().equals(name)) {
            throw new IllegalArgumentException("names pool " + e.poolId() + " round " + e.round());
          }
          out.add(e);
        } catch (IOException | RuntimeException x) {
          LOG.error("refund journal entry {} is unreadable and is kept: {}", f, x.toString());
        }
      }
    } catch (IOException x) {
      LOG.error("cannot list the refund journal {}: {}", dir, x.toString());
    }
    return out;
  }
}
