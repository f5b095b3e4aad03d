package org.lotusia.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.node.data.KnownPeer;
import org.lotusia.node.data.NodeStore;
import org.lotusia.p2p.coordinator.NetworkComponents;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a node's peer store in its data directory: {@link #snapshot()} saves the peers it was
 * connected to (now or before) with the addresses they announced, and {@link #restore()} puts them
 * back into the host's peer store after a restart and dials the most recently seen ones.
 *
 * <p>Bounds: at most {@value #MAX_PEERS} peers are kept, peers not seen for {@link #FORGET_AFTER}
 * are forgotten, and at most {@value #MAX_DIALS} are dialled at start. Thread-safe; the dials run in
 * the background and their failures are only logged.
 */
final class KnownPeers {
  private static final Logger LOG = LoggerFactory.getLogger(KnownPeers.class);

  static final int MAX_PEERS = 500;
  static final int MAX_DIALS = 20;
  static final Duration FORGET_AFTER = Duration.ofDays(7);
  private static final Duration RESTORED_ADDRESS_TTL = Duration.ofHours(1);

  private final P2PCoordinator node;
  private final NodeStore store;
  private final Clock clock;

  KnownPeers(P2PCoordinator node, NodeStore store, Clock clock) {
    this.node = node;
    this.store = store;
    this.clock = clock;
  }

  /**
   * Restores the kept peers into the host's peer store and dials the most recently seen ones.
   *
   * @return completes with the number of peers connected by these dials
   */
  CompletableFuture<Integer> restore() {
    Optional<Host> host = node.networkComponents().map(NetworkComponents::host);
    if (host.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    List<KnownPeer> kept = store.loadPeers();
    List<CompletableFuture<Boolean>> dials = new ArrayList<>();
    for (KnownPeer p : kept) {
      PeerId id;
      List<Multiaddr> addrs = new ArrayList<>();
      try {
        id = PeerId.parse(p.peerId());
        for (String a : p.addresses()) {
          addrs.add(Multiaddr.parse(a));
        }
      } catch (IllegalArgumentException bad) {
        LOG.warn("skipping a kept peer with a bad entry: {}", bad.getMessage());
        continue;
      }
      if (id.equals(host.get().peerId()) || addrs.isEmpty()) {
        continue;
      }
      host.get().peerStore().addAddresses(id, addrs, RESTORED_ADDRESS_TTL);
      if (dials.size() < MAX_DIALS && !host.get().isConnected(id)) {
        dials.add(dial(p.peerId(), addrs, 0));
      }
    }
    if (!kept.isEmpty()) {
      LOG.info("restored {} known peers; dialling {}", kept.size(), dials.size());
    }
    return CompletableFuture.allOf(dials.toArray(CompletableFuture[]::new))
        .thenApply(v -> (int) dials.stream().filter(f -> f.join()).count());
  }

  /** Dials the peer's addresses one after the other until one works. */
  private CompletableFuture<Boolean> dial(String peerId, List<Multiaddr> addrs, int i) {
    if (i >= addrs.size()) {
      return CompletableFuture.completedFuture(false);
    }
    String target = addrs.get(i) + "/p2p/" + peerId;
    CompletableFuture<Boolean> attempt;
    try {
      attempt = node.connectToPeer(target).thenApply(info -> true);
    } catch (RuntimeException e) {
      attempt = CompletableFuture.failedFuture(e);
    }
    return attempt
        .exceptionally(
            e -> {
              LOG.debug("known peer {} not reachable at {}: {}", peerId, target, e.toString());
              return false;
            })
        .thenCompose(ok -> ok ? CompletableFuture.completedFuture(true) : dial(peerId, addrs, i + 1));
  }

  /** Saves the connected peers, and keeps the earlier ones seen within {@link #FORGET_AFTER}. */
  void snapshot() {
    Optional<Host> host = node.networkComponents().map(NetworkComponents::host);
    if (host.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Map<String, KnownPeer> peers = new HashMap<>();
    for (KnownPeer p : store.loadPeers()) {
      if (p.lastSeen().isAfter(now.minus(FORGET_AFTER))) {
        peers.put(p.peerId(), p);
      }
    }
    for (PeerId id : host.get().connectedPeers()) {
      List<String> addrs =
          host.get().peerStore().addresses(id).stream().map(Multiaddr::toString).limit(16).toList();
      if (!addrs.isEmpty()) {
        peers.put(id.toBase58(), new KnownPeer(id.toBase58(), addrs, now));
      }
    }
    List<KnownPeer> keep = new ArrayList<>(peers.values());
    keep.sort((a, b) -> b.lastSeen().compareTo(a.lastSeen()));
    store.savePeers(keep.subList(0, Math.min(keep.size(), MAX_PEERS)));
  }
}
