package org.lotusia.libp2p.protocol.kad;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStore;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.internal.proto.DhtProtos.Record;
import org.lotusia.libp2p.multiformats.Cid;

/**
 * Answers one inbound kad-dht request (kad-dht spec, "RPC messages"), following js-libp2p's
 * behaviour where the spec leaves room: PUT_VALUE validates by namespace, applies the inbound record
 * filter, keeps a stored record the selector prefers (as go-libp2p does; the put is refused), stores
 * with {@code timeReceived = now} and echoes the request; GET_VALUE answers the record and closer
 * peers; FIND_NODE answers the closest peers and, when the key is a peer ID we know (ourselves, the
 * requester or a peer with addresses), that peer too, as go-libp2p does (libp2p/specs#609: so a
 * fresh network of a few nodes, whose answers would otherwise be empty, can bootstrap);
 * ADD_PROVIDER accepts only the sender itself with at least one address and has no answer; provider
 * keys must decode as a CID (a bare SHA-256 multihash is a CIDv0).
 *
 * <p>No I/O except reads of the thread-safe peer store; called on the DHT's executor.
 */
final class KadRequestHandler {
  private static final byte[] PK_PREFIX = "/pk/".getBytes(StandardCharsets.US_ASCII);

  private final PeerId self;
  private final Supplier<List<Multiaddr>> selfAddresses;
  private final KadDhtConfig config;
  private final RoutingTable table;
  private final RecordStore records;
  private final ProviderStore providers;
  private final Namespaces namespaces;
  private final PeerStore peerStore;
  private final Predicate<PeerId> connected;
  private final KadMetrics metrics;
  private final Runnable storesChanged;

  KadRequestHandler(
      PeerId self,
      Supplier<List<Multiaddr>> selfAddresses,
      KadDhtConfig config,
      RoutingTable table,
      RecordStore records,
      ProviderStore providers,
      Namespaces namespaces,
      PeerStore peerStore,
      Predicate<PeerId> connected,
      KadMetrics metrics,
      Runnable storesChanged) {
    this.self = self;
    this.selfAddresses = selfAddresses;
    this.config = config;
    this.table = table;
    this.records = records;
    this.providers = providers;
    this.namespaces = namespaces;
    this.peerStore = peerStore;
    this.connected = connected;
    this.metrics = metrics;
    this.storesChanged = storesChanged;
  }

  /**
   * The answer to {@code req} from {@code from}, or empty when the type has none.
   *
   * @throws ProtocolViolationException when the request is malformed or its record is invalid; the
   *     caller resets the stream, as js-libp2p does
   */
  Optional<Message> handle(PeerId from, Message req, Instant now) {
    return switch (req.getType()) {
      case PING -> Optional.of(req);
      case FIND_NODE -> Optional.of(findNode(from, req));
      case GET_VALUE -> Optional.of(getValue(from, req, now));
      case PUT_VALUE -> Optional.of(putValue(from, req, now));
      case ADD_PROVIDER -> {
        addProvider(from, req, now);
        yield Optional.empty();
      }
      case GET_PROVIDERS -> Optional.of(getProviders(from, req, now));
      default -> throw new ProtocolViolationException("unknown kad message type " + req.getType());
    };
  }

  private static byte[] requireKey(Message req) {
    if (req.getKey().isEmpty()) {
      throw new ProtocolViolationException(req.getType() + " without a key");
    }
    return req.getKey().toByteArray();
  }

  private Message findNode(PeerId from, Message req) {
    byte[] key = requireKey(req);
    Message.Builder res = Message.newBuilder().setType(req.getType());
    targetOf(from, key).ifPresent(res::addCloserPeers);
    closer(from, key).forEach(res::addCloserPeers);
    return res.build();
  }

  /** The peer a FIND_NODE key names, when we know addresses for it (ourselves, the requester). */
  private Optional<Message.Peer> targetOf(PeerId from, byte[] key) {
    PeerId target;
    try {
      target = PeerId.fromBytes(key);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    List<Multiaddr> addrs =
        target.equals(self) ? selfAddresses.get() : filtered(peerStore.addresses(target));
    if (addrs.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        KadCodec.toPb(new KadPeer(target, addrs), target.equals(self) || connected.test(target)));
  }

  /** The addresses the address filter keeps, at most {@code maxAddressesPerPeer}. */
  private List<Multiaddr> filtered(List<Multiaddr> addrs) {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : addrs) {
      if (out.size() < config.maxAddressesPerPeer() && config.addressFilter().accept(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Our closest peers with addresses the filter keeps, never the requester itself. */
  List<Message.Peer> closer(PeerId from, byte[] key) {
    List<Message.Peer> out = new ArrayList<>();
    for (PeerId p : table.closest(KadKey.of(key), config.k() + 1)) {
      if (p.equals(from) || out.size() >= config.k()) {
        continue;
      }
      List<Multiaddr> addrs = filtered(peerStore.addresses(p));
      if (!addrs.isEmpty()) {
        out.add(KadCodec.toPb(new KadPeer(p, addrs), connected.test(p)));
      }
    }
    return out;
  }

  private Message getValue(PeerId from, Message req, Instant now) {
    byte[] key = requireKey(req);
    Message.Builder res = Message.newBuilder().setType(req.getType()).setKey(req.getKey());
    Optional<Record> rec = Optional.empty();
    if (startsWith(key, PK_PREFIX)) {
      try {
        PeerId owner = PeerId.fromBytes(Arrays.copyOfRange(key, PK_PREFIX.length, key.length));
        rec =
            peerStore
                .publicKey(owner)
                .map(pk -> KadCodec.record(key, pk.encoded(), Optional.of(now)));
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException("GET_VALUE for a /pk/ key without a peer ID", e);
      }
    } else {
      rec =
          records
              .get(key, now)
              .map(s -> KadCodec.record(s.key(), s.value(), Optional.of(s.timeReceived())));
    }
    rec.ifPresent(res::setRecord);
    closer(from, key).forEach(res::addCloserPeers);
    return res.build();
  }

  private Message putValue(PeerId from, Message req, Instant now) {
    if (!req.hasRecord() || req.getRecord().getKey().isEmpty()) {
      throw new ProtocolViolationException("PUT_VALUE without a record key");
    }
    byte[] key = req.getRecord().getKey().toByteArray();
    byte[] value = req.getRecord().getValue().toByteArray();
    try {
      namespaces.validate(key, value);
    } catch (RuntimeException e) {
      metrics.validatorRejected.increment();
      throw new RecordRefusedException("PUT_VALUE rejected: " + e.getMessage(), e);
    }
    if (!accepts(from, key, value)) {
      metrics.inboundFilterRefused.increment();
      throw new RecordRefusedException("PUT_VALUE refused by the inbound record filter", null);
    }
    Optional<RecordStore.Stored> old = records.get(key, now);
    if (old.isPresent() && !Arrays.equals(old.get().value(), value) && keepsOld(key, value, old)) {
      metrics.selectorKeptExisting.increment();
      throw new RecordRefusedException("PUT_VALUE refused: the stored record is preferred", null);
    }
    if (!records.put(key, value, from, now)) {
      metrics.recordLimitRefused.increment();
      throw new RecordRefusedException("PUT_VALUE refused: record store limit reached", null);
    }
    storesChanged.run();
    return req;
  }

  private boolean accepts(PeerId from, byte[] key, byte[] value) {
    try {
      return config.inboundRecordFilter().accept(from, key.clone(), value.clone());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** As go-libp2p: the selector over {@code [incoming, stored]} keeps the stored one unless 0. */
  private boolean keepsOld(byte[] key, byte[] value, Optional<RecordStore.Stored> old) {
    try {
      return namespaces.select(key, List.of(value, old.get().value())) != 0;
    } catch (RuntimeException e) {
      return true; // a selector that fails cannot justify replacing what we hold
    }
  }

  /** The multihash bytes a provider key names; a CIDv1 is reduced to its multihash. */
  static byte[] providerKey(byte[] key) {
    try {
      return Cid.fromBytes(key).multihash().toBytes();
    } catch (IllegalArgumentException e) {
      throw new ProtocolViolationException("provider key is not a CID: " + e.getMessage(), e);
    }
  }

  private void addProvider(PeerId from, Message req, Instant now) {
    byte[] key = providerKey(requireKey(req));
    for (KadPeer p : KadCodec.peers(req.getProviderPeersList(), config.maxAddressesPerPeer())) {
      // Only the sender may announce itself, and only with an address to reach it (as js does).
      if (!p.id().equals(from)) {
        continue;
      }
      List<Multiaddr> addrs = filtered(p.addresses());
      if (addrs.isEmpty()) {
        continue;
      }
      if (providers.add(key, from, now)) {
        peerStore.addAddresses(from, addrs, config.addressTtl());
        storesChanged.run();
      } else {
        metrics.providerLimitRefused.increment();
      }
    }
  }

  private Message getProviders(PeerId from, Message req, Instant now) {
    byte[] raw = requireKey(req);
    byte[] key = providerKey(raw);
    Message.Builder res =
        Message.newBuilder().setType(req.getType()).setKey(ByteString.copyFrom(raw));
    int n = 0;
    for (PeerId p : providers.get(key, now)) {
      if (n >= config.maxPeersPerMessage()) {
        break;
      }
      List<Multiaddr> addrs = p.equals(self) ? selfAddresses.get() : filtered(peerStore.addresses(p));
      if (addrs.isEmpty()) {
        continue;
      }
      res.addProviderPeers(KadCodec.toPb(new KadPeer(p, addrs), connected.test(p)));
      n++;
    }
    closer(from, key).forEach(res::addCloserPeers);
    return res.build();
  }

  private static boolean startsWith(byte[] a, byte[] prefix) {
    return a.length >= prefix.length
        && Arrays.equals(a, 0, prefix.length, prefix, 0, prefix.length);
  }
}
