package org.lotusia.node.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.Secp256k1Choice;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.NoiseCipher;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.protocol.kad.KadStats;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.libp2p.protocol.pubsub.GossipSubStats;
import org.lotusia.p2p.coordinator.NetworkComponents;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PStats;
import org.lotusia.p2p.security.CoreSecurityMetrics;

/**
 * Builds the {@code /status} document of a node from its coordinator: identity and addresses,
 * connection state, connected peers with their addresses, protocols and connections (direction,
 * streams per protocol), the protocols this node serves, open streams and bytes per protocol,
 * subscribed topics with mesh sizes, the DHT's mode, buckets and stored
 * records, message counters, security metrics and bans, which ChaCha20-Poly1305 implementation
 * encrypts Noise ({@link NoiseCipher}) and which secp256k1 implementation signs and verifies
 * ({@link Secp256k1Choice}).
 *
 * <p>Thread-safe and read-only: it reads snapshots and waits at most a second for GossipSub's
 * mesh answers, never changing the node.
 */
public final class StatusReport {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MESH_WAIT_MILLIS = 1000;

  private final P2PCoordinator node;
  private final Optional<DataDirInfo> dataDir;

  /**
   * What the report says about the data directory.
   *
   * @param path the directory
   * @param storedEntries DHT records and provider records kept in its database
   */
  public record DataDirInfo(String path, java.util.function.IntSupplier storedEntries) {}

  /**
   * A report of {@code node}.
   *
   * @param node the node (read only)
   * @param dataDir its data directory, if it has one
   */
  public StatusReport(P2PCoordinator node, Optional<DataDirInfo> dataDir) {
    this.node = node;
    this.dataDir = dataDir;
  }

  /**
   * The status document now.
   *
   * @return a new JSON object
   */
  public ObjectNode build() {
    P2PStats stats = node.getStats();
    ObjectNode o = JSON.createObjectNode();
    o.put("peerId", stats.peerId());
    strings(o.putArray("addrs"), stats.multiaddrs());
    o.put("state", stats.state().name());
    node.connectionStateError().ifPresent(e -> o.put("stateError", e));
    Optional<NetworkComponents> net = node.networkComponents();
    ArrayNode peers = o.putArray("peers");
    net.ifPresent(n -> peers(n.host(), peers));
    ArrayNode served = o.putArray("protocolsServed");
    net.ifPresent(n -> new java.util.TreeSet<>(n.host().protocols()).forEach(served::add));
    ObjectNode protocols = o.putObject("protocols");
    net.ifPresent(
        n ->
            new TreeMap<>(n.host().stats().protocols())
                .forEach(
                    (p, st) ->
                        protocols
                            .putObject(p)
                            .put("openStreams", st.openStreams())
                            .put("bytesIn", st.bytesRead())
                            .put("bytesOut", st.bytesWritten())));
    o.set("topics", topics(net.flatMap(NetworkComponents::gossip)));
    o.set("dht", dht(net.flatMap(NetworkComponents::dht).map(d -> d.stats())));
    ObjectNode messages = o.putObject("messages");
    messages
        .put("received", stats.messages().received())
        .put("sent", stats.messages().sent())
        .put("refusedBusy", stats.messages().refusedBusy())
        .put("channels", stats.messages().channels())
        .put("topicDelivered", stats.topics().delivered())
        .put("topicRefused", stats.topics().refused())
        .put("topicDropped", stats.topics().dropped());
    o.put("localResources", stats.localResources());
    o.set("security", security(stats.security(), node.securityManager().getBannedPeers()));
    o.set("noiseCipher", noiseCipher(NoiseCipher.current()));
    o.set("secp256k1", secp256k1(Secp256k1.defaultProviderChoice()));
    dataDir.ifPresent(
        d ->
            o.putObject("dataDir")
                .put("path", d.path())
                .put("storedEntries", d.storedEntries().getAsInt()));
    return o;
  }

  private static void peers(Host host, ArrayNode out) {
    Map<PeerId, List<Connection>> byPeer = new TreeMap<>(java.util.Comparator.comparing(PeerId::toBase58));
    for (Connection c : host.connections()) {
      byPeer.computeIfAbsent(c.remotePeer(), p -> new java.util.ArrayList<>()).add(c);
    }
    for (Map.Entry<PeerId, List<Connection>> e : byPeer.entrySet()) {
      PeerId p = e.getKey();
      ObjectNode peer = out.addObject();
      peer.put("peerId", p.toBase58());
      host.peerStore().agentVersion(p).ifPresent(v -> peer.put("agentVersion", v));
      strings(peer.putArray("addrs"), host.peerStore().addresses(p).stream().map(Multiaddr::toString).toList());
      strings(peer.putArray("protocols"), host.peerStore().protocols(p));
      ArrayNode conns = peer.putArray("connections");
      for (Connection c : e.getValue()) {
        ObjectNode cn = conns.addObject();
        cn.put("remoteAddr", c.remoteAddress().toString())
            .put("direction", c.direction().name().toLowerCase(java.util.Locale.ROOT))
            .put("openedAt", c.openedAt().toString())
            .put("security", c.securityProtocol())
            .put("muxer", c.muxerProtocol());
        Map<String, Integer> streams = new TreeMap<>();
        for (Stream s : c.streams()) {
          String proto = s.protocol();
          streams.merge(proto == null || proto.isEmpty() ? "(negotiating)" : proto, 1, Integer::sum);
        }
        ObjectNode sn = cn.putObject("streams");
        streams.forEach(sn::put);
      }
    }
  }

  private static ObjectNode topics(Optional<GossipSub> gossip) {
    ObjectNode t = JSON.createObjectNode();
    if (gossip.isEmpty()) {
      t.put("enabled", false);
      return t;
    }
    GossipSub g = gossip.get();
    t.put("enabled", true);
    ArrayNode subs = t.putArray("subscribed");
    for (String topic : new java.util.TreeSet<>(g.subscriptions())) {
      ObjectNode s = subs.addObject();
      s.put("topic", topic);
      s.put("meshPeers", size(g.meshPeers(topic)));
      s.put("topicPeers", size(g.topicPeers(topic)));
    }
    GossipSubStats st = g.stats();
    t.putObject("counters")
        .put("published", st.published())
        .put("delivered", st.delivered())
        .put("duplicates", st.duplicates())
        .put("invalid", st.invalid())
        .put("rpcsReceived", st.rpcsReceived())
        .put("rpcsSent", st.rpcsSent());
    return t;
  }

  private static int size(java.util.concurrent.CompletableFuture<Set<PeerId>> f) {
    try {
      return f.get(MESH_WAIT_MILLIS, TimeUnit.MILLISECONDS).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (Exception e) {
      return -1;
    }
  }

  private static ObjectNode dht(Optional<KadStats> stats) {
    ObjectNode d = JSON.createObjectNode();
    if (stats.isEmpty()) {
      d.put("mode", "disabled");
      return d;
    }
    KadStats k = stats.get();
    d.put("mode", k.mode().name().toLowerCase(java.util.Locale.ROOT));
    d.put("routingTableSize", k.routingTableSize());
    ArrayNode buckets = d.putArray("buckets");
    k.bucketSizes().forEach(buckets::add);
    d.put("storedRecords", k.storedRecords()).put("providerKeys", k.providerKeys());
    d.putObject("queries")
        .put("started", k.queriesStarted())
        .put("succeeded", k.queriesSucceeded())
        .put("failed", k.queriesFailed());
    d.put("requestsServed", k.requestsServed());
    return d;
  }

  /**
   * The Noise cipher choice as JSON: {@code implementation}, {@code description}, {@code basis}
   * ({@code provisional} while calibration runs), {@code measuredGbps} per implementation once
   * calibrated, and {@code unavailable} with the reason per implementation that cannot be used.
   *
   * @param c the choice
   * @return a new JSON object
   */
  public static ObjectNode noiseCipher(NoiseCipher c) {
    return choice(
        c.implementation(), c.description(), c.basis(), c.measuredGbps(), c.unavailable());
  }

  /**
   * The secp256k1 provider choice as JSON: {@code implementation} ({@code native} or {@code
   * bouncycastle}), {@code description}, {@code basis} ({@code auto} or {@code property}) and
   * {@code unavailable} with the reason per implementation that was tried and cannot load.
   *
   * @param c the choice
   * @return a new JSON object
   */
  public static ObjectNode secp256k1(Secp256k1Choice c) {
    return choice(c.implementation(), c.description(), c.basis(), null, c.unavailable());
  }

  /**
   * An implementation choice as JSON: {@code implementation}, {@code description}, {@code basis},
   * then {@code measuredGbps} (left out when null) and {@code unavailable}, maps in key order.
   */
  private static ObjectNode choice(
      String implementation,
      String description,
      String basis,
      Map<String, Double> measuredGbps,
      Map<String, String> unavailable) {
    ObjectNode n = JSON.createObjectNode();
    n.put("implementation", implementation).put("description", description).put("basis", basis);
    if (measuredGbps != null) {
      ObjectNode gbps = n.putObject("measuredGbps");
      new TreeMap<>(measuredGbps).forEach(gbps::put);
    }
    ObjectNode unavailableNode = n.putObject("unavailable");
    new TreeMap<>(unavailable).forEach(unavailableNode::put);
    return n;
  }

  private static ObjectNode security(CoreSecurityMetrics m, Set<String> banned) {
    ObjectNode s = JSON.createObjectNode();
    s.putObject("messages")
        .put("total", m.messages().total())
        .put("rejected", m.messages().rejected())
        .put("oversized", m.messages().oversized());
    s.putObject("topicMessages")
        .put("total", m.topicMessages().total())
        .put("rejected", m.topicMessages().rejected());
    s.putObject("dhtAnnouncements")
        .put("total", m.dhtAnnouncements().total())
        .put("rejected", m.dhtAnnouncements().rejected())
        .put("rateLimited", m.dhtAnnouncements().rateLimited());
    s.putObject("peers")
        .put("banned", m.peers().banned())
        .put("tempBanned", m.peers().tempBanned())
        .put("withWarnings", m.peers().warnings());
    s.put("warningsIssued", m.warningsIssued());
    ObjectNode reasons = s.putObject("rejectionsByReason");
    new TreeMap<>(m.rejectionsByReason()).forEach((r, n) -> reasons.put(r.name(), n));
    strings(s.putArray("bannedPeers"), new java.util.TreeSet<>(banned).stream().toList());
    return s;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }
}
