package org.lotusia.libp2p.protocol.kad;

import static org.lotusia.libp2p.protocol.kad.KadDht.bytes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message.MessageType;
import org.lotusia.libp2p.internal.proto.DhtProtos.Record;

/** The client operations of {@link KadDht}, each built on one lookup. Executor-confined state. */
final class KadOperations {
  private final KadDht dht;

  KadOperations(KadDht dht) {
    this.dht = dht;
  }

  private CompletableFuture<List<PeerId>> lookup(byte[] key, Message request, Lookup.Hook hook) {
    QueryState q =
        new QueryState(
            KadKey.of(key),
            dht.host.peerId(),
            dht.config.k(),
            dht.config.alpha(),
            dht.config.maxCandidates(),
            dht.config.requestTimeout(),
            dht.clock.instant().plus(dht.config.queryTimeout()));
    q.addCandidates(dht.table.closest(KadKey.of(key), dht.config.k()));
    // While the table holds fewer than k peers, connected peers whose identify has not finished yet
    // are worth asking too: right after a dial the table may still be empty.
    List<PeerId> connected = new ArrayList<>();
    List<Connection> connections =
        dht.table.size() < dht.config.k() ? dht.host.connections() : List.of();
    for (Connection c : connections) {
      List<String> protocols = dht.host.peerStore().protocols(c.remotePeer());
      if (protocols.isEmpty() || protocols.contains(dht.config.protocolId())) {
        connected.add(c.remotePeer());
      }
    }
    q.addCandidates(connected);
    return new Lookup(q, request, hook, dht.rpc, dht.executor, dht.clock, responders()).run();
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
    for (KadPeer p : peers) {
      if (!p.addresses().isEmpty() && !p.id().equals(dht.host.peerId())) {
        dht.host.peerStore().addAddresses(p.id(), p.addresses(), dht.config.addressTtl());
      }
    }
    return peers;
  }

  private KadPeer withAddresses(PeerId p) {
    List<Multiaddr> addrs =
        p.equals(dht.host.peerId()) ? dht.selfAddresses() : dht.host.peerStore().addresses(p);
    return new KadPeer(p, addrs);
  }

  private static Message request(MessageType type, byte[] key) {
    return Message.newBuilder().setType(type).setKey(bytes(key)).build();
  }

  CompletableFuture<List<KadPeer>> closestPeers(byte[] key) {
    return dht.onExecutor(
        () ->
            lookup(key, request(MessageType.FIND_NODE, key), (f, a, q) -> {})
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

  CompletableFuture<List<PeerId>> put(byte[] key, byte[] value) {
    try {
      dht.namespaces.validate(key, value);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    return dht.onExecutor(
        () -> {
          dht.records.put(key, value, dht.host.peerId(), dht.clock.instant());
          Record rec = KadCodec.record(key, value, Optional.of(dht.clock.instant()));
          Message msg =
              Message.newBuilder()
                  .setType(MessageType.PUT_VALUE)
                  .setKey(bytes(key))
                  .setRecord(rec)
                  .build();
          return lookup(key, request(MessageType.FIND_NODE, key), (f, a, q) -> {})
              .thenCompose(peers -> storeAt(peers, msg, value));
        });
  }

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

  CompletableFuture<Optional<byte[]>> get(byte[] key) {
    return dht.onExecutor(
        () -> {
          Map<PeerId, byte[]> found = new LinkedHashMap<>();
          dht.records
              .get(key, dht.clock.instant())
              .filter(s -> dht.namespaces.isValid(key, s.value()))
              .ifPresent(s -> found.put(dht.host.peerId(), s.value()));
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
                  found.put(from, value);
                }
              };
          return lookup(key, request(MessageType.GET_VALUE, key), hook)
              .thenApply(ps -> best(key, found));
        });
  }

  private Optional<byte[]> best(byte[] key, Map<PeerId, byte[]> found) {
    if (found.isEmpty()) {
      return Optional.empty();
    }
    List<byte[]> values = new ArrayList<>(found.values());
    byte[] best = values.get(dht.namespaces.select(key, values));
    Message correction =
        Message.newBuilder()
            .setType(MessageType.PUT_VALUE)
            .setKey(bytes(key))
            .setRecord(KadCodec.record(key, best, Optional.of(dht.clock.instant())))
            .build();
    found.forEach(
        (peer, value) -> {
          if (Arrays.equals(value, best)) {
            return;
          }
          if (peer.equals(dht.host.peerId())) {
            dht.records.put(key, best, peer, dht.clock.instant());
          } else {
            dht.rpc.request(peer, correction); // best effort, as js does
          }
        });
    return Optional.of(best.clone());
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
          dht.providers.add(mh, dht.host.peerId(), dht.clock.instant());
          Message msg =
              Message.newBuilder()
                  .setType(MessageType.ADD_PROVIDER)
                  .setKey(bytes(mh))
                  .addProviderPeers(
                      KadCodec.toPb(new KadPeer(dht.host.peerId(), dht.selfAddresses()), true))
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
