package org.lotusia.libp2p.protocol.kad;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lotusia.libp2p.PeerId;

/**
 * Provider records: which peers said they provide the content under a key (a multihash). Bounded by
 * the number of keys, providers per key and entries per providing peer; entries expire a fixed time
 * after they were last announced (kad-dht spec: 48 h).
 *
 * <p>I/O-free and not thread-safe: the owning DHT confines it to its executor.
 */
final class ProviderStore {
  private final int maxKeys;
  private final int maxPerKey;
  private final int maxPerPeer;
  private final Duration ttl;
  private final PeerId self;
  private final RecordPersistence persistence;
  private final Map<ByteString, LinkedHashMap<PeerId, Instant>> byKey = new HashMap<>();
  private final Map<PeerId, Integer> perPeer = new HashMap<>();

  ProviderStore(PeerId self, int maxKeys, int maxPerKey, int maxPerPeer, Duration ttl) {
    this(self, maxKeys, maxPerKey, maxPerPeer, ttl, RecordPersistence.NONE);
  }

  /** A store that reports every change to {@code persistence} (which must not throw). */
  ProviderStore(
      PeerId self,
      int maxKeys,
      int maxPerKey,
      int maxPerPeer,
      Duration ttl,
      RecordPersistence persistence) {
    this.self = self;
    this.persistence = persistence;
    this.maxKeys = maxKeys;
    this.maxPerKey = maxPerKey;
    this.maxPerPeer = maxPerPeer;
    this.ttl = ttl;
  }

  /**
   * Adds or refreshes {@code provider} for {@code key}.
   *
   * @return whether it is stored; false when a limit refused it
   */
  boolean add(byte[] key, PeerId provider, Instant now) {
    ByteString k = ByteString.copyFrom(key);
    LinkedHashMap<PeerId, Instant> providers = byKey.get(k);
    if (providers != null && providers.containsKey(provider)) {
      providers.remove(provider);
      providers.put(provider, now);
      persistence.providerStored(new RecordPersistence.StoredProvider(key, provider, now));
      return true;
    }
    if (providers == null && byKey.size() >= maxKeys) {
      return false;
    }
    if (providers != null && providers.size() >= maxPerKey) {
      return false;
    }
    if (!provider.equals(self) && perPeer.getOrDefault(provider, 0) >= maxPerPeer) {
      return false;
    }
    byKey.computeIfAbsent(k, x -> new LinkedHashMap<>()).put(provider, now);
    perPeer.merge(provider, 1, Integer::sum);
    persistence.providerStored(new RecordPersistence.StoredProvider(key, provider, now));
    return true;
  }

  /**
   * Restores a provider record kept by the persistence with its original announcement time.
   *
   * @return whether it was stored; false when it expired or a limit refused it
   */
  boolean restore(RecordPersistence.StoredProvider p, Instant now) {
    if (!now.isBefore(p.timeAnnounced().plus(ttl))) {
      return false;
    }
    return add(p.key(), p.provider(), p.timeAnnounced());
  }

  /** The unexpired providers of {@code key}, most recently announced first. */
  List<PeerId> get(byte[] key, Instant now) {
    ByteString k = ByteString.copyFrom(key);
    LinkedHashMap<PeerId, Instant> providers = byKey.get(k);
    if (providers == null) {
      return List.of();
    }
    expire(k, providers, now);
    List<PeerId> out = new ArrayList<>(providers.keySet());
    java.util.Collections.reverse(out);
    return out;
  }

  /** Drops expired entries; returns how many. */
  int expire(Instant now) {
    int n = 0;
    for (Map.Entry<ByteString, LinkedHashMap<PeerId, Instant>> e : List.copyOf(byKey.entrySet())) {
      n += expire(e.getKey(), e.getValue(), now);
    }
    return n;
  }

  private int expire(ByteString k, LinkedHashMap<PeerId, Instant> providers, Instant now) {
    int n = 0;
    Iterator<Map.Entry<PeerId, Instant>> it = providers.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<PeerId, Instant> e = it.next();
      if (!now.isBefore(e.getValue().plus(ttl))) {
        it.remove();
        perPeer.computeIfPresent(e.getKey(), (p, c) -> c <= 1 ? null : c - 1);
        persistence.providerRemoved(k.toByteArray(), e.getKey());
        n++;
      }
    }
    if (providers.isEmpty()) {
      byKey.remove(k);
    }
    return n;
  }

  int keyCount() {
    return byKey.size();
  }
}
