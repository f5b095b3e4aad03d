package org.lotusia.node.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.kad.RecordPersistence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's database: one H2 MVStore file holding the DHT's stored records and provider records
 * and the known peers. MVStore keeps changes in memory and writes them to the file on its own
 * background thread about once a second (and at {@link #flush()} and {@link #close()}), so the
 * {@link RecordPersistence} calls that the DHT makes on its thread never wait for the disk. The
 * file is locked while open: a second node on the same directory is refused.
 *
 * <p>Thread-safe: MVStore maps are safe for concurrent use.
 */
public final class NodeStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStore.class);

  /** The format of this store; a file of another format is refused, never overwritten. */
  static final int FORMAT = 1;

  private final Path file;
  private final MVStore store;
  private final MVMap<String, byte[]> records;
  private final MVMap<String, byte[]> providers;
  private final MVMap<String, byte[]> peers;

  private NodeStore(Path file, MVStore store) {
    this.file = file;
    this.store = store;
    MVMap<String, Integer> meta = store.openMap("meta");
    Integer format = meta.get("format");
    if (format == null) {
      if (!store.getMapNames().equals(java.util.Set.of("meta"))) {
        throw new DataDirException(
            file + " has no format marker: it is not a lotus-p2p node database", null);
      }
      meta.put("format", FORMAT);
    } else if (format != FORMAT) {
      throw new DataDirException(
          file + " has format " + format + ", this build reads format " + FORMAT, null);
    }
    this.records = store.openMap("dht.records");
    this.providers = store.openMap("dht.providers");
    this.peers = store.openMap("peers");
  }

  /**
   * Opens (or creates) the database file.
   *
   * @param file the file
   * @return the store
   * @throws DataDirException naming the file when it is locked by another process, corrupt,
   *     unreadable or of another format
   */
  public static NodeStore open(Path file) {
    MVStore store;
    try {
      store = new MVStore.Builder().fileName(file.toString()).open();
    } catch (MVStoreException e) {
      throw explain(file, e);
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new DataDirException("cannot open " + file + ": " + e.getMessage(), e);
    }
    try {
      return new NodeStore(file, store);
    } catch (RuntimeException e) {
      store.closeImmediately();
      if (e instanceof DataDirException d) {
        throw d;
      }
      throw new DataDirException(file + " is not a readable node database: " + e.getMessage(), e);
    }
  }

  private static DataDirException explain(Path file, MVStoreException e) {
    int code = e.getErrorCode();
    String what =
        switch (code) {
          case DataUtils.ERROR_FILE_LOCKED ->
              " is locked: another lotus-p2p node uses this data directory (stop it, or give"
                  + " another --data-dir)";
          case DataUtils.ERROR_FILE_CORRUPT ->
              " is corrupt; the node does not start afresh over it: move it away to start with"
                  + " an empty store, or restore a backup";
          case DataUtils.ERROR_UNSUPPORTED_FORMAT ->
              " has an unsupported format: it was not written by this lotus-p2p version";
          case DataUtils.ERROR_READING_FAILED, DataUtils.ERROR_WRITING_FAILED ->
              " cannot be read or written (" + Files.isWritable(file) + " writable): " + firstLine(e);
          default -> " cannot be opened: " + firstLine(e);
        };
    return new DataDirException(file + what, e);
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int cut = m.indexOf(" [");
    return (cut > 0 ? m.substring(0, cut) : m).replace('\n', ' ');
  }

  /**
   * The file this store keeps its data in.
   *
   * @return the path
   */
  public Path file() {
    return file;
  }

  /**
   * The DHT persistence backed by this store (write-behind: calls return at once).
   *
   * @return the persistence
   */
  public RecordPersistence dhtPersistence() {
    return new Persistence();
  }

  /**
   * The known peers, most recently seen first.
   *
   * @return the peers
   */
  public List<KnownPeer> loadPeers() {
    List<KnownPeer> out = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : peers.entrySet()) {
      try {
        out.add(Codec.peer(e.getValue()));
      } catch (IllegalArgumentException bad) {
        LOG.warn("{}: dropping the unreadable entry of peer {}: {}", file, e.getKey(), bad.getMessage());
        peers.remove(e.getKey());
      }
    }
    out.sort(Comparator.comparing(KnownPeer::lastSeen).reversed());
    return out;
  }

  /**
   * Replaces the known peers with {@code snapshot}.
   *
   * @param snapshot the peers to keep
   */
  public void savePeers(List<KnownPeer> snapshot) {
    java.util.Set<String> keep = new java.util.HashSet<>();
    for (KnownPeer p : snapshot) {
      peers.put(p.peerId(), Codec.peer(p));
      keep.add(p.peerId());
    }
    for (String id : new ArrayList<>(peers.keySet())) {
      if (!keep.contains(id)) {
        peers.remove(id);
      }
    }
  }

  /**
   * Records and provider records kept.
   *
   * @return their number
   */
  public int dhtEntries() {
    return records.size() + providers.size();
  }

  /** Writes every change to the file now. */
  public void flush() {
    store.commit();
  }

  /** Writes every change and closes the file (releasing its lock); idempotent. */
  @Override
  public void close() {
    if (!store.isClosed()) {
      store.close();
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  /** The DHT's records in the maps, keyed by the hex record key (and provider ID). */
  private final class Persistence implements RecordPersistence {
    @Override
    public List<StoredRecord> loadRecords() {
      List<StoredRecord> out = new ArrayList<>();
      for (Map.Entry<String, byte[]> e : records.entrySet()) {
        try {
          out.add(Codec.record(e.getValue()));
        } catch (IllegalArgumentException bad) {
          LOG.warn("{}: dropping an unreadable DHT record: {}", file, bad.getMessage());
          records.remove(e.getKey());
        }
      }
      return out;
    }

    @Override
    public List<StoredProvider> loadProviders() {
      List<StoredProvider> out = new ArrayList<>();
      for (Map.Entry<String, byte[]> e : providers.entrySet()) {
        try {
          out.add(Codec.provider(e.getValue()));
        } catch (IllegalArgumentException bad) {
          LOG.warn("{}: dropping an unreadable provider record: {}", file, bad.getMessage());
          providers.remove(e.getKey());
        }
      }
      return out;
    }

    @Override
    public void recordStored(StoredRecord record) {
      records.put(hex(record.key()), Codec.record(record));
    }

    @Override
    public void recordRemoved(byte[] key) {
      records.remove(hex(key));
    }

    @Override
    public void providerStored(StoredProvider provider) {
      providers.put(hex(provider.key()) + "/" + provider.provider(), Codec.provider(provider));
    }

    @Override
    public void providerRemoved(byte[] key, PeerId provider) {
      providers.remove(hex(key) + "/" + provider);
    }
  }
}
