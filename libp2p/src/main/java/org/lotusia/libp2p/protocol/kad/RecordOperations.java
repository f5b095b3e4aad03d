package org.lotusia.libp2p.protocol.kad;

import static org.lotusia.libp2p.protocol.kad.KadDht.bytes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message.MessageType;
import org.lotusia.libp2p.internal.proto.DhtProtos.Record;

/**
 * PUT_VALUE and GET_VALUE from the client side (kad-dht spec, "Value storage and retrieval"): a put
 * stores locally and at the {@code k} closest peers; a get collects every valid value (the local
 * copy included), lets the selector choose, and corrects only the peers whose value the selector
 * ranks below the chosen one. Executor-confined state.
 */
final class RecordOperations {
  private final KadDht dht;

  RecordOperations(KadDht dht) {
    this.dht = dht;
  }

  CompletableFuture<List<PeerId>> put(byte[] key, byte[] value, PutOptions options) {
    try {
      dht.namespaces.validate(key, value);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    Duration timeout = options.timeout().orElse(dht.config.queryTimeout());
    return dht.onExecutor(
        () -> {
          Instant now = dht.clock.instant();
          Optional<RecordStore.Stored> old = dht.records.get(key, now);
          // as go-libp2p's PutValue: a put cannot replace a value the selector prefers
          if (old.isPresent()
              && !Arrays.equals(old.get().value(), value)
              && dht.namespaces.select(key, List.of(value, old.get().value())) != 0) {
            return CompletableFuture.failedFuture(
                new IllegalArgumentException(
                    "the selector prefers the value already stored under this key; a put cannot"
                        + " replace it with a value ranked below it"));
          }
          if (!dht.records.put(key, value, dht.host.peerId(), now)) {
            return CompletableFuture.failedFuture(
                new IllegalStateException(
                    "the local record store is full (see KadDhtConfig.Builder.recordLimits)"));
          }
          dht.storesChanged();
          dht.republisher.rememberRecord(key, value);
          return replicate(key, value, timeout, options.listener().orElse(null))
              .thenApply(
                  r -> {
                    int required = options.requiredReplicas(r.peersFound());
                    if (r.storedAt().size() < required) {
                      throw new KadPutException(r.storedAt(), required);
                    }
                    return r.storedAt();
                  });
        });
  }

  /** What sending a record to the closest peers achieved. */
  record Replication(int peersFound, List<PeerId> storedAt) {}

  /** Finds the closest peers of {@code key} and sends them the record. Executor only. */
  CompletableFuture<Replication> replicate(
      byte[] key, byte[] value, Duration timeout, QueryListener listener) {
    Message msg = putMessage(key, value, dht.clock.instant());
    return dht.ops
        .lookup(
            key,
            KadOperations.request(MessageType.FIND_NODE, key),
            (f, a, q) -> {},
            timeout,
            listener)
        .thenCompose(
            peers -> storeAt(peers, msg, value).thenApply(s -> new Replication(peers.size(), s)));
  }

  private static Message putMessage(byte[] key, byte[] value, Instant now) {
    Record rec = KadCodec.record(key, value, Optional.of(now));
    return Message.newBuilder()
        .setType(MessageType.PUT_VALUE)
        .setKey(bytes(key))
        .setRecord(rec)
        .build();
  }

  /** Sends {@code msg} to each peer; completes with those that echoed the value (as js checks). */
  private CompletableFuture<List<PeerId>> storeAt(List<PeerId> peers, Message msg, byte[] value) {
    List<CompletableFuture<Optional<PeerId>>> sends = new ArrayList<>();
    for (PeerId p : peers) {
      sends.add(
          dht.rpc
              .request(p, msg)
              .handle(
                  (answer, err) ->
                      err == null
                              && answer.hasRecord()
                              && Arrays.equals(answer.getRecord().getValue().toByteArray(), value)
                          ? Optional.of(p)
                          : Optional.<PeerId>empty()));
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApplyAsync(
            v -> sends.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList(),
            dht.executor);
  }

  CompletableFuture<Optional<byte[]>> get(byte[] key, GetOptions options) {
    Duration timeout = options.timeout().orElse(dht.config.queryTimeout());
    return dht.onExecutor(
        () -> {
          ValueCollector found = new ValueCollector(key, dht.namespaces);
          Optional<RecordStore.Stored> local = dht.records.get(key, dht.clock.instant());
          local
              .filter(s -> dht.namespaces.isValid(key, s.value()))
              .ifPresent(s -> found.offerLocal(s.value()));
          Lookup.Hook hook =
              (from, answer, q) -> {
                if (!answer.hasRecord()) {
                  return;
                }
                Record r = answer.getRecord();
                byte[] value = r.getValue().toByteArray();
                // js's rules for a received record: the exact key, a receive time, a valid value
                if (Arrays.equals(r.getKey().toByteArray(), key)
                    && KadCodec.parseTime(r.getTimeReceived()).isPresent()
                    && dht.namespaces.isValid(key, value)) {
                  found.offer(from, value);
                  if (options.quorum() > 0 && found.agreeing() >= options.quorum()) {
                    q.stop();
                  }
                } else {
                  dht.metrics.validatorRejected.increment();
                }
              };
          return dht.ops
              .lookup(
                  key,
                  KadOperations.request(MessageType.GET_VALUE, key),
                  hook,
                  timeout,
                  options.listener().orElse(null))
              .thenApply(ps -> settle(key, found, local));
        });
  }

  /** Corrects stale peers and the stale local copy; returns the chosen value. Executor only. */
  private Optional<byte[]> settle(
      byte[] key, ValueCollector found, Optional<RecordStore.Stored> local) {
    Optional<byte[]> best = found.best();
    if (best.isEmpty()) {
      return Optional.empty();
    }
    byte[] value = best.get();
    List<PeerId> stale = found.stalePeers();
    if (!stale.isEmpty()) {
      Message correction = putMessage(key, value, dht.clock.instant());
      for (PeerId p : stale) {
        dht.metrics.correctionsSent.increment();
        dht.rpc.request(p, correction); // best effort, as js does; failures are counted by KadRpc
      }
    }
    if (found.localIsStale() && local.isPresent()) {
      // keep the owner, so the record still counts against the quota of whoever stored it
      dht.records.put(key, value, local.get().owner(), dht.clock.instant());
      dht.republisher.supersede(key, value);
      dht.storesChanged();
    }
    return Optional.of(value.clone());
  }
}
