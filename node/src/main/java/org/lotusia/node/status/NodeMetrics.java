package org.lotusia.node.status;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.lotusia.libp2p.HostStats;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadListener;
import org.lotusia.libp2p.protocol.kad.KadStats;
import org.lotusia.libp2p.protocol.pubsub.GossipSub;
import org.lotusia.libp2p.protocol.pubsub.GossipSubStats;
import org.lotusia.p2p.coordinator.NetworkComponents;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.P2PStats;
import org.lotusia.p2p.security.RejectReason;

/**
 * A node's metrics in a Micrometer {@link PrometheusMeterRegistry}, written in the Prometheus text
 * format by {@link #scrape()}: connections by direction, streams by protocol, bytes in and out by
 * protocol (GossipSub's RPCs; other protocols once the host counts them), direct and topic messages
 * and refusals by reason, DHT lookups with a latency histogram, routing table and stored records,
 * GossipSub deliveries and duplicates, mesh sizes by topic, and the JVM (memory, GC, threads,
 * classes, CPU, uptime). Names start with {@code lotus_p2p_}.
 *
 * <p>Counters read the node's own monotonic counters when scraped; nothing here changes the node.
 * Thread-safe. The DHT latency histogram listens to the DHT of the run that was current when
 * {@link #watchDht} was called.
 */
public final class NodeMetrics {

  private static final String P = "lotus.p2p.";

  private final P2PCoordinator node;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MultiGauge streams;
  private final MultiGauge meshPeers;
  private final java.util.Set<String> bytesCounted = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Timer.Builder dhtQuery =
      Timer.builder(P + "dht.query")
          .description("DHT lookups by outcome, with their duration")
          .serviceLevelObjectives(
              Duration.ofMillis(5), Duration.ofMillis(25), Duration.ofMillis(100),
              Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
              Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10),
              Duration.ofSeconds(30), Duration.ofSeconds(60));

  /**
   * Registers the node's meters and the JVM's.
   *
   * @param node the node (read only)
   */
  public NodeMetrics(P2PCoordinator node) {
    this.node = node;
    Gauge.builder(P + "connections", this, m -> host(m, HostStats::inboundConnections))
        .description("Open connections by direction")
        .tag("direction", "inbound")
        .register(registry);
    Gauge.builder(P + "connections", this, m -> host(m, HostStats::outboundConnections))
        .description("Open connections by direction")
        .tag("direction", "outbound")
        .register(registry);
    counter("host.refusals", "Connections and streams the host refused, by reason", Tags.of("reason", "stream-callback-busy"),
        m -> host(m, HostStats::refusedStreams));
    counter("host.refusals", "Connections and streams the host refused, by reason", Tags.of("reason", "gated-dial"),
        m -> host(m, HostStats::gatedDials));
    counter("host.refusals", "Connections and streams the host refused, by reason", Tags.of("reason", "gated-inbound"),
        m -> host(m, HostStats::gatedInbound));
    counter("host.refusals", "Connections and streams the host refused, by reason", Tags.of("reason", "gated-secured"),
        m -> host(m, HostStats::gatedSecured));
    // the resource manager's refusals (ResourceLimits): an attack shows here first
    resourceRefusal("inbound-rate", HostStats.Refusals::inboundRate);
    resourceRefusal("pending-per-ip", HostStats.Refusals::pendingPerIp);
    resourceRefusal("pending-per-subnet", HostStats.Refusals::pendingPerSubnet);
    resourceRefusal("pending-total", HostStats.Refusals::pendingTotal);
    resourceRefusal("connections-per-peer", HostStats.Refusals::connectionsPerPeer);
    resourceRefusal("streams-per-connection", HostStats.Refusals::streamsPerConnection);
    resourceRefusal("streams-per-protocol", HostStats.Refusals::streamsPerProtocol);
    resourceRefusal("listener-backlog", HostStats.Refusals::listenerBacklog);
    counter("connections.trimmed", "Connections closed above the connection high-water mark", Tags.empty(),
        m -> host(m, HostStats::trimmedConnections));
    Gauge.builder(P + "peers.connected", this, m -> m.node.getStats().peers().connected())
        .description("Peers with an open connection")
        .register(registry);
    Gauge.builder(P + "message.channels", this, m -> stats(m).messages().channels())
        .description("Message channels open to other peers")
        .register(registry);
    streams = MultiGauge.builder(P + "streams").description("Open streams by protocol").register(registry);
    meshPeers =
        MultiGauge.builder(P + "gossip.mesh.peers").description("Mesh peers by subscribed topic").register(registry);

    counter("messages", "Direct messages", Tags.of("kind", "received"), m -> stats(m).messages().received());
    counter("messages", "Direct messages", Tags.of("kind", "sent"), m -> stats(m).messages().sent());
    counter("topic.messages", "Topic messages", Tags.of("kind", "delivered"), m -> stats(m).topics().delivered());
    counter("refusals", "Refused inbound messages by reason", Tags.of("reason", "HANDLER_BUSY"),
        m -> stats(m).messages().refusedBusy());
    counter("refusals", "Refused inbound messages by reason", Tags.of("reason", "TOPIC_HANDLER_BEHIND"),
        m -> stats(m).topics().dropped());
    for (RejectReason r : RejectReason.values()) {
      counter("refusals", "Refused inbound messages by reason", Tags.of("reason", r.name()),
          m -> stats(m).security().rejectionsByReason().getOrDefault(r, 0L));
    }
    Gauge.builder(P + "peers.banned", this, m -> m.node.securityManager().getBannedPeers().size())
        .description("Banned peers")
        .register(registry);

    counter("dht.queries", "DHT lookups", Tags.of("outcome", "started"), m -> kad(m, KadStats::queriesStarted));
    counter("dht.queries", "DHT lookups", Tags.of("outcome", "succeeded"), m -> kad(m, KadStats::queriesSucceeded));
    counter("dht.queries", "DHT lookups", Tags.of("outcome", "failed"), m -> kad(m, KadStats::queriesFailed));
    counter("dht.requests.served", "DHT requests answered", Tags.empty(), m -> kad(m, KadStats::requestsServed));
    Gauge.builder(P + "dht.routing.table.peers", this, m -> kad(m, KadStats::routingTableSize))
        .description("Peers in the DHT routing table")
        .register(registry);
    Gauge.builder(P + "dht.stored.records", this, m -> kad(m, KadStats::storedRecords))
        .description("Records this node stores for the DHT")
        .register(registry);
    Gauge.builder(P + "dht.provider.keys", this, m -> kad(m, KadStats::providerKeys))
        .description("Keys with provider records stored here")
        .register(registry);

    counter("gossip.messages", "GossipSub messages", Tags.of("kind", "delivered"), m -> gossip(m, GossipSubStats::delivered));
    counter("gossip.messages", "GossipSub messages", Tags.of("kind", "duplicate"), m -> gossip(m, GossipSubStats::duplicates));
    counter("gossip.messages", "GossipSub messages", Tags.of("kind", "invalid"), m -> gossip(m, GossipSubStats::invalid));
    counter("gossip.messages", "GossipSub messages", Tags.of("kind", "published"), m -> gossip(m, GossipSubStats::published));

    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  /**
   * Records the duration of every lookup of the current run's DHT in the latency histogram. Call
   * once after the node started.
   */
  public void watchDht() {
    node.networkComponents()
        .flatMap(NetworkComponents::dht)
        .ifPresent(
            d ->
                d.addListener(
                    new KadListener() {
                      @Override
                      public void queryCompleted(Duration elapsed, boolean succeeded) {
                        dhtQuery
                            .tag("outcome", succeeded ? "succeeded" : "failed")
                            .register(registry)
                            .record(elapsed);
                      }
                    }));
  }

  /**
   * The metrics in the Prometheus text format (version 0.0.4).
   *
   * @return the text
   */
  public String scrape() {
    refreshMultiGauges();
    return registry.scrape();
  }

  /**
   * The registry, for tests and embedding.
   *
   * @return the registry
   */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  private void refreshMultiGauges() {
    Map<String, Integer> byProtocol = new HashMap<>();
    Map<String, Integer> mesh = new HashMap<>();
    Optional<NetworkComponents> net = node.networkComponents();
    net.ifPresent(
        n -> {
          n.host().stats().protocols().forEach((p, st) -> {
            byProtocol.put(p, st.openStreams());
            bytesCounters(p);
          });
          n.gossip()
              .ifPresent(
                  g -> {
                    for (String t : g.subscriptions()) {
                      mesh.put(t, meshSize(g, t));
                    }
                  });
        });
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    byProtocol.forEach((p, n) -> rows.add(MultiGauge.Row.of(Tags.of("protocol", p), n)));
    streams.register(rows, true);
    List<MultiGauge.Row<?>> meshRows = new ArrayList<>();
    mesh.forEach((t, n) -> meshRows.add(MultiGauge.Row.of(Tags.of("topic", t), n)));
    meshPeers.register(meshRows, true);
  }

  /** Registers the byte counters of a protocol seen for the first time (at most the host's 257). */
  private void bytesCounters(String protocol) {
    if (bytesCounted.add(protocol)) {
      counter("protocol.bytes", "Payload bytes by protocol and direction", Tags.of("protocol", protocol, "direction", "in"),
          m -> hostProtocol(m, protocol).bytesRead());
      counter("protocol.bytes", "Payload bytes by protocol and direction", Tags.of("protocol", protocol, "direction", "out"),
          m -> hostProtocol(m, protocol).bytesWritten());
    }
  }

  private static HostStats.ProtocolStats hostProtocol(NodeMetrics m, String protocol) {
    return m.node.networkComponents()
        .map(n -> n.host().stats().protocol(protocol))
        .orElse(HostStats.ProtocolStats.NONE);
  }

  private void resourceRefusal(String reason, ToDoubleFunction<HostStats.Refusals> f) {
    counter("host.refusals", "Connections and streams the host refused, by reason", Tags.of("reason", reason),
        m -> host(m, st -> f.applyAsDouble(st.refusals())));
  }

  private static double host(NodeMetrics m, ToDoubleFunction<HostStats> f) {
    return m.node.networkComponents().map(n -> f.applyAsDouble(n.host().stats())).orElse(0.0);
  }

  private static int meshSize(GossipSub g, String topic) {
    try {
      return g.meshPeers(topic).get(1, java.util.concurrent.TimeUnit.SECONDS).size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      return 0;
    }
  }

  private void counter(String name, String description, Tags tags, ToDoubleFunction<NodeMetrics> f) {
    FunctionCounter.builder(P + name, this, f).description(description).tags(tags).register(registry);
  }

  private static P2PStats stats(NodeMetrics m) {
    return m.node.getStats();
  }

  private static double kad(NodeMetrics m, ToDoubleFunction<KadStats> f) {
    return m.node.networkComponents()
        .flatMap(NetworkComponents::dht)
        .map(KadDht::stats)
        .map(f::applyAsDouble)
        .orElse(0.0);
  }

  private static double gossip(NodeMetrics m, ToDoubleFunction<GossipSubStats> f) {
    return m.node.networkComponents()
        .flatMap(NetworkComponents::gossip)
        .map(GossipSub::stats)
        .map(f::applyAsDouble)
        .orElse(0.0);
  }
}
