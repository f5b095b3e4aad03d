package org.lotusia.libp2p.protocol.kad;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.lotusia.libp2p.PeerId;

/**
 * The records this node stores for the DHT, bounded by count, total bytes and records per sending
 * peer; records expire a fixed time after they were received. When full, new keys are refused
 * rather than evicting what is stored, so a flood cannot push out accepted records; replacing the
 * value of a stored key is always allowed within the byte limit.
 *
 * <p>I/O-free and not thread-safe: the owning DHT confines it to its executor.
 */
final class RecordStore {

  /** A stored record. */
  record Stored(byte[] key, byte[] value, Instant timeReceived, PeerId owner) {
    int size() {
      return key.length + value.length;
    }
  }

  private final int maxRecords;
  private final long maxBytes;
  private final int maxPerPeer;
  private final Duration ttl;
  private final PeerId self;
  private final RecordPersistence persistence;
  private final Map<ByteString, Stored> records = new LinkedHashMap<>();
  private final Map<PeerId, Integer> perPeer = new HashMap<>();
  private long bytes;

  RecordStore(PeerId self, int maxRecords, long maxBytes, int maxPerPeer, Duration ttl) {
    this(self, maxRecords, maxBytes, maxPerPeer, ttl, RecordPersistence.NONE);
  }

  /** A store that reports every change to {@code persistence} (which must not throw). */
  RecordStore(
      PeerId self,
      int maxRecords,
      long maxBytes,
      int maxPerPeer,
      Duration ttl,
      RecordPersistence persistence) {
    this.self = self;
    this.persistence = persistence;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.maxPerPeer = maxPerPeer;
    this.ttl = ttl;
  }

  /**
   * Stores or replaces a record received from {@code owner} (ourselves for local puts, which the
   * per-peer quota does not limit).
   *
   * @return whether it was stored; false when a limit refused it
   */
  boolean put(byte[] key, byte[] value, PeerId owner, Instant now) {
    ByteString k = ByteString.copyFrom(key);
    Stored old = records.get(k);
    long newBytes = bytes - (old == null ? 0 : old.size()) + key.length + value.length;
    if (newBytes > maxBytes) {
      return false;
    }
    if (old == null && records.size() >= maxRecords) {
      return false;
    }
    boolean ownerChanges = old == null || !old.owner().equals(owner);
    if (ownerChanges && !owner.equals(self) && perPeer.getOrDefault(owner, 0) >= maxPerPeer) {
      return false;
    }
    if (old != null) {
      // replaced, not removed: the persisted copy is overwritten below
      records.remove(k);
      release(old);
    }
    Stored s = new Stored(key.clone(), value.clone(), now, owner);
    records.put(k, s);
    perPeer.merge(owner, 1, Integer::sum);
    bytes += s.size();
    persistence.recordStored(new RecordPersistence.StoredRecord(key, value, now, owner));
    return true;
  }

  /**
   * Restores a record kept by the persistence with its original receive time.
   *
   * @return whether it was stored; false when it expired or a limit refused it
   */
  boolean restore(RecordPersistence.StoredRecord r, Instant now) {
    Stored probe = new Stored(r.key(), r.value(), r.timeReceived(), r.owner());
    if (expired(probe, now)) {
      return false;
    }
    return put(probe.key(), probe.value(), probe.owner(), probe.timeReceived());
  }

  /** The unexpired record under {@code key}. */
  Optional<Stored> get(byte[] key, Instant now) {
    ByteString k = ByteString.copyFrom(key);
    Stored s = records.get(k);
    if (s != null && expired(s, now)) {
      remove(k);
      return Optional.empty();
    }
    return Optional.ofNullable(s);
  }

  /** Removes the record under {@code key}; returns whether there was one. */
  boolean remove(byte[] key) {
    ByteString k = ByteString.copyFrom(key);
    boolean present = records.containsKey(k);
    remove(k);
    return present;
  }

  /** Drops expired records; returns how many. */
  int expire(Instant now) {
    int n = 0;
    Iterator<Map.Entry<ByteString, Stored>> it = records.entrySet().iterator();
    while (it.hasNext()) {
      Stored s = it.next().getValue();
      if (expired(s, now)) {
        it.remove();
        release(s);
        persistence.recordRemoved(s.key());
        n++;
      }
    }
    return n;
  }

  private boolean expired(Stored s, Instant now) {
    return !now.isBefore(s.timeReceived().plus(ttl));
  }

  private void remove(ByteString k) {
    Stored s = records.remove(k);
    if (s != null) {
      release(s);
      persistence.recordRemoved(s.key());
    }
  }

  private void release(Stored s) {
    bytes -= s.size();
    perPeer.computeIfPresent(s.owner(), (p, c) -> c <= 1 ? null : c - 1);
  }

  int size() {
    return records.size();
  }

  long bytes() {
    return bytes;
  }
}
