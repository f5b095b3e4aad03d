package org.lotusia.libp2p.internal.host;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.PeerStore;
import org.lotusia.libp2p.crypto.IdentityPublicKey;

/** The bounded in-memory {@link PeerStore}. All state is guarded by {@code this}. */
public final class PeerStoreImpl implements PeerStore {

  private final Clock clock;
  private final int maxPeers;
  private final int maxAddresses;
  private final int maxProtocols;
  private final LinkedHashMap<PeerId, Entry> peers = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * Creates a store.
   *
   * @throws IllegalArgumentException when a limit is below 1
   */
  public PeerStoreImpl(Clock clock, int maxPeers, int maxAddresses, int maxProtocols) {
    if (maxPeers < 1 || maxAddresses < 1 || maxProtocols < 1) {
      throw new IllegalArgumentException(
          "peer store limits must be >= 1, got peers "
              + maxPeers
              + ", addresses "
              + maxAddresses
              + ", protocols "
              + maxProtocols);
    }
    this.clock = clock;
    this.maxPeers = maxPeers;
    this.maxAddresses = maxAddresses;
    this.maxProtocols = maxProtocols;
  }

  private static final class Entry {
    final LinkedHashMap<Multiaddr, Instant> addresses = new LinkedHashMap<>();
    List<String> protocols = List.of();
    IdentityPublicKey key;
    String agent;
  }

  private Entry entry(PeerId peer) {
    Entry e = peers.get(peer);
    if (e == null) {
      e = new Entry();
      peers.put(peer, e);
      if (peers.size() > maxPeers) {
        PeerId eldest = peers.keySet().iterator().next();
        peers.remove(eldest);
      }
    }
    return e;
  }

  @Override
  public synchronized void addAddresses(
      PeerId peer, Collection<Multiaddr> addresses, Duration ttl) {
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("ttl must not be negative, got " + ttl);
    }
    Entry e = entry(peer);
    Instant expiry = clock.instant().plus(ttl);
    for (Multiaddr a : addresses) {
      Multiaddr plain = a.withoutPeerId();
      e.addresses.remove(plain);
      e.addresses.put(plain, expiry);
      if (e.addresses.size() > maxAddresses) {
        e.addresses.remove(e.addresses.keySet().iterator().next());
      }
    }
  }

  @Override
  public synchronized List<Multiaddr> addresses(PeerId peer) {
    Entry e = peers.get(peer);
    if (e == null) {
      return List.of();
    }
    Instant now = clock.instant();
    e.addresses.values().removeIf(expiry -> !expiry.isAfter(now));
    List<Multiaddr> out = new ArrayList<>(e.addresses.keySet());
    java.util.Collections.reverse(out);
    return out;
  }

  @Override
  public synchronized void setProtocols(PeerId peer, Collection<String> protocols) {
    LinkedHashSet<String> set = new LinkedHashSet<>();
    for (String p : protocols) {
      if (set.size() >= maxProtocols) {
        break;
      }
      set.add(p);
    }
    entry(peer).protocols = List.copyOf(set);
  }

  @Override
  public synchronized List<String> protocols(PeerId peer) {
    Entry e = peers.get(peer);
    return e == null ? List.of() : e.protocols;
  }

  @Override
  public synchronized void putPublicKey(PeerId peer, IdentityPublicKey key) {
    if (!peer.matches(key)) {
      throw new IllegalArgumentException("public key does not match peer " + peer);
    }
    entry(peer).key = key;
  }

  @Override
  public synchronized Optional<IdentityPublicKey> publicKey(PeerId peer) {
    Entry e = peers.get(peer);
    if (e != null && e.key != null) {
      return Optional.of(e.key);
    }
    return peer.publicKey();
  }

  @Override
  public synchronized void setAgentVersion(PeerId peer, String agentVersion) {
    entry(peer).agent = agentVersion;
  }

  @Override
  public synchronized Optional<String> agentVersion(PeerId peer) {
    Entry e = peers.get(peer);
    return e == null ? Optional.empty() : Optional.ofNullable(e.agent);
  }

  @Override
  public synchronized Set<PeerId> peers() {
    return Set.copyOf(peers.keySet());
  }

  @Override
  public synchronized void remove(PeerId peer) {
    peers.remove(peer);
  }

  /** Number of peers stored. */
  public synchronized int size() {
    return peers.size();
  }

  @Override
  public synchronized String toString() {
    return "PeerStore[" + peers.size() + " peers]";
  }
}
