package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.PeerId;

/** Lets tests in other packages look into a DHT's local stores. */
public final class KadInteropAccess {
  private KadInteropAccess() {}

  /** Stores a record in {@code dht}'s local store only. */
  public static CompletableFuture<Boolean> storeLocally(KadDht dht, byte[] key, byte[] value) {
    return CompletableFuture.supplyAsync(
        () -> {
          boolean stored = dht.records.put(key, value, dht.host.peerId(), dht.clock.instant());
          dht.storesChanged();
          return stored;
        },
        dht.executor);
  }

  /** Runs {@code task} on {@code dht}'s own thread. */
  public static <T> CompletableFuture<T> onExecutor(
      KadDht dht, java.util.function.Supplier<T> task) {
    return CompletableFuture.supplyAsync(task, dht.executor);
  }

  /** Removes a record from {@code dht}'s local store only. */
  public static CompletableFuture<Boolean> removeLocally(KadDht dht, byte[] key) {
    return CompletableFuture.supplyAsync(() -> dht.records.remove(key), dht.executor);
  }

  /** The value in {@code dht}'s local store. */
  public static CompletableFuture<Optional<byte[]>> localValue(KadDht dht, byte[] key) {
    return CompletableFuture.supplyAsync(
        () -> dht.records.get(key, dht.clock.instant()).map(RecordStore.Stored::value),
        dht.executor);
  }

  /** Adds a provider record to {@code dht}'s local store only. */
  public static CompletableFuture<Boolean> addProviderLocally(
      KadDht dht, byte[] multihash, PeerId provider) {
    return CompletableFuture.supplyAsync(
        () -> {
          boolean added = dht.providers.add(multihash, provider, dht.clock.instant());
          dht.storesChanged();
          return added;
        },
        dht.executor);
  }

  /** The providers of a multihash in {@code dht}'s local store. */
  public static CompletableFuture<List<PeerId>> localProviders(KadDht dht, byte[] multihash) {
    return CompletableFuture.supplyAsync(
        () -> dht.providers.get(multihash, dht.clock.instant()), dht.executor);
  }
}
