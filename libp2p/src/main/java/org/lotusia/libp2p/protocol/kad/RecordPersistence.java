package org.lotusia.libp2p.protocol.kad;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lotusia.libp2p.PeerId;

/**
 * Keeps the value records and provider records a {@link KadDht} stores (its own and those it stores
 * for other peers) beyond the life of the process, so that a restarted DHT server keeps serving
 * them until they expire. Set it with {@link KadDhtConfig.Builder#persistence}; the default {@link
 * #NONE} keeps nothing.
 *
 * <p>The DHT reads {@link #loadRecords()} and {@link #loadProviders()} once, when it starts; every
 * loaded entry is validated again and keeps its original receive time, so it expires when it would
 * have without the restart. Entries that expired, fail their validator or exceed a store limit are
 * dropped and reported through {@link #recordRemoved} or {@link #providerRemoved}. After that every
 * change of the stores is reported: a record stored or replaced, a record removed or expired, a
 * provider added or refreshed, a provider expired.
 *
 * <p>Threading: every method is called on the DHT's own thread, one call at a time. An
 * implementation must return quickly (keep the change in memory and write it on its own thread, as
 * a write-behind store does) and must not call the DHT. A method that throws is logged and the DHT
 * goes on with the record in memory; the persisted copy may then lag behind.
 */
public interface RecordPersistence {

  /** Keeps nothing and loads nothing. */
  RecordPersistence NONE =
      new RecordPersistence() {
        @Override
        public List<StoredRecord> loadRecords() {
          return List.of();
        }

        @Override
        public List<StoredProvider> loadProviders() {
          return List.of();
        }

        @Override
        public void recordStored(StoredRecord record) {}

        @Override
        public void recordRemoved(byte[] key) {}

        @Override
        public void providerStored(StoredProvider provider) {}

        @Override
        public void providerRemoved(byte[] key, PeerId provider) {}
      };

  /**
   * A value record as the DHT stores it.
   *
   * @param key the record key (owned by the record; copied in and out)
   * @param value the record value (owned by the record; copied in and out)
   * @param timeReceived when it was stored: it expires {@link KadDhtConfig#recordTtl()} later
   * @param owner the peer that stored it here (this node for its own puts); counts against that
   *     peer's quota
   */
  record StoredRecord(byte[] key, byte[] value, Instant timeReceived, PeerId owner) {
    /** Checks for nulls and copies the arrays. */
    public StoredRecord {
      key = Objects.requireNonNull(key, "key").clone();
      value = Objects.requireNonNull(value, "value").clone();
      Objects.requireNonNull(timeReceived, "timeReceived");
      Objects.requireNonNull(owner, "owner");
    }

    /** A copy of the key. */
    @Override
    public byte[] key() {
      return key.clone();
    }

    /** A copy of the value. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StoredRecord r
          && Arrays.equals(key, r.key)
          && Arrays.equals(value, r.value)
          && timeReceived.equals(r.timeReceived)
          && owner.equals(r.owner);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key) * 31 + timeReceived.hashCode();
    }

    @Override
    public String toString() {
      return "StoredRecord[" + key.length + "-byte key, " + value.length + "-byte value, from "
          + owner + " at " + timeReceived + "]";
    }
  }

  /**
   * A provider record: {@code provider} said it provides the content under {@code key}.
   *
   * @param key the multihash (copied in and out)
   * @param provider the providing peer
   * @param timeAnnounced when it last announced it: it expires {@link KadDhtConfig#providerTtl()}
   *     later
   */
  record StoredProvider(byte[] key, PeerId provider, Instant timeAnnounced) {
    /** Checks for nulls and copies the key. */
    public StoredProvider {
      key = Objects.requireNonNull(key, "key").clone();
      Objects.requireNonNull(provider, "provider");
      Objects.requireNonNull(timeAnnounced, "timeAnnounced");
    }

    /** A copy of the key. */
    @Override
    public byte[] key() {
      return key.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StoredProvider p
          && Arrays.equals(key, p.key)
          && provider.equals(p.provider)
          && timeAnnounced.equals(p.timeAnnounced);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(key) * 31 + provider.hashCode();
    }

    @Override
    public String toString() {
      return "StoredProvider[" + key.length + "-byte key, " + provider + " at " + timeAnnounced + "]";
    }
  }

  /**
   * The value records kept from an earlier run; called once when the DHT starts.
   *
   * @return the records, in any order
   */
  List<StoredRecord> loadRecords();

  /**
   * The provider records kept from an earlier run; called once when the DHT starts.
   *
   * @return the provider records, in any order
   */
  List<StoredProvider> loadProviders();

  /**
   * A record was stored, or replaced the record under the same key.
   *
   * @param record the record as stored
   */
  void recordStored(StoredRecord record);

  /**
   * The record under {@code key} was removed or expired.
   *
   * @param key the key (the caller's copy)
   */
  void recordRemoved(byte[] key);

  /**
   * A provider record was added or refreshed.
   *
   * @param provider the record as stored
   */
  void providerStored(StoredProvider provider);

  /**
   * A provider record expired or was refused when loaded.
   *
   * @param key the key (the caller's copy)
   * @param provider the provider
   */
  void providerRemoved(byte[] key, PeerId provider);
}
