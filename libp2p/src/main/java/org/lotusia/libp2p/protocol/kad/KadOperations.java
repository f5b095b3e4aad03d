package org.lotusia.libp2p.protocol.kad;

import static org.lotusia.libp2p.protocol.kad.KadDht.bytes;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.host.SerialExecutor;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message.MessageType;

/**
 * The lookups of {@link KadDht} and the operations on peers and providers, each built on one
 * lookup (records: {@link RecordOperations}). Executor-confined state.
 */
final class KadOperations {
  private final KadDht dht;

  KadOperations(KadDht dht) {
    this.dht = dht;
  }

  CompletableFuture<List<PeerId>> lookup(byte[] key, Message request, Lookup.Hook hook) {
    return lookup(key, request, hook, dht.config.queryTimeout(), null);
  }

  /**
   * Runs one lookup of {@code key} with {@code request}, counted in the metrics; {@code hook} sees
   * every answer. Executor only.
   */
  CompletableFuture<List<PeerId>> lookup(
      byte[] key, Message request, Lookup.Hook hook, Duration timeout, QueryListener listener) {
    dht.metrics.queriesStarted.increment();
    KadKey target = KadKey.of(key);
    Instant started = dht.clock.instant();
    Instant deadline = started.plus(timeout);
    List<PeerId> start = new ArrayList<>(dht.table.closest(target, dht.config.k()));
    // While the table holds fewer than k peers, connected peers whose identify has not finished yet
    // are worth asking too: right after a dial the table may still be empty.
    List<Connection> connections =
        dht.table.size() < dht.config.k() ? dht.host.connections() : List.of();
    for (Connection c : connections) {
      List<String> protocols = dht.host.peerStore().protocols(c.remotePeer());
      if (protocols.isEmpty() || protocols.contains(dht.config.protocolId())) {
        start.add(c.remotePeer());
      }
    }
    start.remove(dht.host.peerId());
    Executor events =
        listener == null ? Runnable::run : new SerialExecutor(dht.host.callbackExecutor());
    return DisjointLookup.run(
            target,
            dht.config.k(),
            start,
            dht.config.disjointPaths(),
            group ->
                new QueryState(
                    target,
                    dht.host.peerId(),
                    dht.config.k(),
                    dht.config.alpha(),
                    dht.config.maxCandidates(),
                    dht.config.requestTimeout(),
                    deadline,
                    group),
            (path, l, ev) ->
                new Lookup(
                        path,
                        request,
                        hook,
                        dht.rpc,
                        dht.executor,
                        dht.clock,
                        responders(),
                        l,
                        ev)
                    .run(),
            listener,
            events,
            dht.executor,
            dht.clock.instant())
        .whenComplete(
            (r, e) -> {
              (e == null ? dht.metrics.queriesSucceeded : dht.metrics.queriesFailed).increment();
              dht.events.queryCompleted(Duration.between(started, dht.clock.instant()), e == null);
              dht.maintenance.touched(key);
            });
  }

  private Lookup.Responders responders() {
    return (from, answer) -> {
      // an answer proves the peer serves the DHT; peers that fail stay until a ping evicts them
      dht.consider(from);
      List<PeerId> closer = new ArrayList<>();
      for (KadPeer p : learnAddresses(answer.getCloserPeersList())) {
        closer.add(p.id());
      }
      return closer;
    };
  }

  private List<KadPeer> learnAddresses(List<Message.Peer> pb) {
    List<KadPeer> peers = KadCodec.peers(pb, dht.config.maxAddressesPerPeer());
    List<KadPeer> out = new ArrayList<>(peers.size());
    for (KadPeer p : peers) {
      List<Multiaddr> kept =
          p.addresses().stream().filter(dht.config.addressFilter()::accept).toList();
      if (!kept.isEmpty() && !p.id().equals(dht.host.peerId())) {
        dht.host.peerStore().addAddresses(p.id(), kept, dht.config.addressTtl());
      }
      out.add(new KadPeer(p.id(), kept));
    }
    return out;
  }

  KadPeer withAddresses(PeerId p) {
    List<Multiaddr> addrs =
        p.equals(dht.host.peerId()) ? dht.selfAddresses() : dht.host.peerStore().addresses(p);
    return new KadPeer(p, addrs);
  }

  static Message request(MessageType type, byte[] key) {
    return Message.newBuilder().setType(type).setKey(bytes(key)).build();
  }

  CompletableFuture<List<KadPeer>> closestPeers(byte[] key) {
    return closestPeers(key, null);
  }

  CompletableFuture<List<KadPeer>> closestPeers(byte[] key, QueryListener listener) {
    return dht.onExecutor(
        () ->
            lookup(
                    key,
                    request(MessageType.FIND_NODE, key),
                    (f, a, q) -> {},
                    dht.config.queryTimeout(),
                    listener)
                .thenApply(ps -> ps.stream().map(this::withAddresses).toList()));
  }

  CompletableFuture<Optional<KadPeer>> findPeer(PeerId target) {
    if (!dht.host.connections(target).isEmpty()) {
      return CompletableFuture.completedFuture(Optional.of(withAddresses(target)));
    }
    byte[] key = target.toBytes();
    return dht.onExecutor(
        () -> {
          List<KadPeer> found = new ArrayList<>();
          Lookup.Hook hook =
              (from, answer, q) -> {
                for (KadPeer p :
                    KadCodec.peers(answer.getCloserPeersList(), dht.config.maxAddressesPerPeer())) {
                  if (p.id().equals(target) && !p.addresses().isEmpty() && found.isEmpty()) {
                    found.add(p);
                    q.stop();
                  }
                }
              };
          return lookup(key, request(MessageType.FIND_NODE, key), hook)
              .thenApply(ps -> found.stream().findFirst());
        });
  }

  CompletableFuture<List<PeerId>> provide(byte[] key) {
    byte[] mh;
    try {
      mh = KadRequestHandler.providerKey(key);
    } catch (ProtocolViolationException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
    return dht.onExecutor(
        () -> {
          dht.republisher.rememberProvider(mh);
          return announce(mh);
        });
  }

  /**
   * Stores this node as a provider of {@code mh} locally and sends ADD_PROVIDER to the closest
   * peers; completes with the peers it was sent to. Executor only.
   */
  CompletableFuture<List<PeerId>> announce(byte[] mh) {
    dht.providers.add(mh, dht.host.peerId(), dht.clock.instant());
    dht.storesChanged();
    Message msg =
        Message.newBuilder()
            .setType(MessageType.ADD_PROVIDER)
            .setKey(bytes(mh))
            .addProviderPeers(KadCodec.toPb(new KadPeer(dht.host.peerId(), dht.selfAddresses()), true))
            .build();
    return lookup(mh, request(MessageType.FIND_NODE, mh), (f, a, q) -> {})
        .thenCompose(
            peers -> {
              List<CompletableFuture<Optional<PeerId>>> sends = new ArrayList<>();
              for (PeerId p : peers) {
                sends.add(
                    dht.rpc
                        .send(p, msg)
                        .handle((v, e) -> e == null ? Optional.of(p) : Optional.empty()));
              }
              return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
                  .thenApply(
                      v ->
                          sends.stream()
                              .map(CompletableFuture::join)
                              .flatMap(Optional::stream)
                              .toList());
            });
  }

  CompletableFuture<List<KadPeer>> findProviders(byte[] key, int max) {
    if (max < 1) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("max must be >= 1, got " + max));
    }
    byte[] mh;
    try {
      mh = KadRequestHandler.providerKey(key);
    } catch (ProtocolViolationException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage(), e));
    }
    return dht.onExecutor(
        () -> {
          Map<PeerId, KadPeer> found = new LinkedHashMap<>();
          for (PeerId p : dht.providers.get(mh, dht.clock.instant())) {
            if (found.size() < max) {
              found.put(p, withAddresses(p));
            }
          }
          if (found.size() >= max) {
            return CompletableFuture.completedFuture(List.copyOf(found.values()));
          }
          Lookup.Hook hook =
              (from, answer, q) -> {
                for (KadPeer p : learnAddresses(answer.getProviderPeersList())) {
                  if (found.size() < max) {
                    found.putIfAbsent(p.id(), p.addresses().isEmpty() ? withAddresses(p.id()) : p);
                  }
                }
                if (found.size() >= max) {
                  q.stop();
                }
              };
          return lookup(mh, request(MessageType.GET_PROVIDERS, mh), hook)
              .thenApply(ps -> List.copyOf(found.values()));
        });
  }
}
