package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class P2PConfigTest {

  @Test
  void defaultsAreLotusSdks() {
    P2PConfig c = P2PConfig.defaults();
    assertThat(c.listen()).containsExactly("/ip4/0.0.0.0/tcp/0");
    assertThat(c.enableDht()).isTrue();
    assertThat(c.dhtProtocol()).isEqualTo("/lotus/kad/1.0.0");
    assertThat(c.dhtServer()).isFalse();
    assertThat(c.enableGossipSub()).isTrue();
    assertThat(c.maxConnections()).isEqualTo(50);
    assertThat(c.securityLimits().maxMessageSize()).isEqualTo(100_000);
    assertThat(c.bootstrap()).isEqualTo(BootstrapConfig.DEFAULT);
    assertThat(c.bootstrap().reconnectJitter()).isEqualTo(0.3);
    assertThat(c.monitor().minMeshPeers()).isEqualTo(2);
    assertThat(c.resources().maxRecordAge()).isEqualTo(Duration.ofHours(48));
    assertThat(c.discoverTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void toBuilderKeepsEveryValue() {
    P2PConfig c =
        P2PConfig.builder()
            .listen("/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/tcp/0/ws")
            .dhtServer(true)
            .maxConnections(7)
            .sendTimeout(Duration.ofSeconds(3))
            .build();
    P2PConfig d = c.toBuilder().build();
    assertThat(d.listen()).isEqualTo(c.listen());
    assertThat(d.dhtServer()).isTrue();
    assertThat(d.maxConnections()).isEqualTo(7);
    assertThat(d.sendTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  private static void refused(Consumer<P2PConfigBuilder> change, String message) {
    P2PConfigBuilder b = P2PConfig.builder();
    change.accept(b);
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void everyBadValueIsRefusedNamingTheOption() {
    refused(b -> b.listen(), "listen needs at least one address");
    refused(b -> b.listen("/ip4/300.1.1.1/tcp/0"), "listen: '/ip4/300.1.1.1/tcp/0' is not a valid multiaddr");
    refused(b -> b.announce("nonsense"), "announce: 'nonsense' is not a valid multiaddr");
    refused(
        b -> b.bootstrapPeers("/ip4/127.0.0.1/tcp/4001"),
        "bootstrapPeers: '/ip4/127.0.0.1/tcp/4001' must end in /p2p/<peer ID>");
    refused(b -> b.dhtProtocol("lotus/kad"), "dhtProtocol: protocol ID must start with '/'");
    refused(b -> b.maxConnections(1), "maxConnections must be at least 2, got 1");
    refused(b -> b.sendTimeout(Duration.ZERO), "sendTimeout must be positive");
    refused(b -> b.dialTimeout(Duration.ofSeconds(-1)), "dialTimeout must be positive");
    refused(b -> b.discoverTimeout(Duration.ZERO), "discoverTimeout must be positive");
    refused(b -> b.listenerQueueCapacity(0), "listenerQueueCapacity must be at least 1");
    refused(b -> b.handlerQueueCapacity(0), "handlerQueueCapacity must be at least 1");
    refused(b -> b.maxResponseSize(10), "maxResponseSize must be at least 1024");
    refused(b -> b.callbackThreads(0), "callbackThreads must be at least 1");
    refused(
        b -> b.identity(org.lotusia.libp2p.crypto.Keys.generateEd25519()).identityFile(java.nio.file.Path.of("k")),
        "give either identity or identityFile, not both");
  }

  @Test
  void nestedSettingsAreCheckedNamingTheOption() {
    assertThatThrownBy(() -> ResourceConfig.DEFAULT.withRepublishInterval(Duration.ofHours(30)))
        .hasMessageContaining(
            "resources.maxRecordAge (PT48H) must be at least twice resources.republishInterval (PT30H)");
    assertThatThrownBy(() -> ResourceConfig.DEFAULT.withMaxLocalResources(0))
        .hasMessageContaining("resources.maxLocalResources must be at least 1");
    assertThatThrownBy(() -> MonitorConfig.DEFAULT.withFullyOperationalPeers(0))
        .hasMessageContaining("monitor.fullyOperationalPeers must be at least 1");
    assertThatThrownBy(
            () -> new MonitorConfig(Duration.ZERO, 3, Duration.ofMinutes(5), Duration.ofSeconds(1), 2))
        .hasMessageContaining("monitor.stateCheckInterval must be positive");
  }

  @Test
  void bootstrapSettingsAreChecked() {
    assertThatThrownBy(
            () -> new BootstrapConfig(Duration.ofSeconds(10), Duration.ofSeconds(1), 0.3, 5, Duration.ofSeconds(30)))
        .hasMessageContaining("bootstrap.reconnectMaxDelay (PT1S) must not be shorter than");
    assertThatThrownBy(
            () -> new BootstrapConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), 1.5, 5, Duration.ofSeconds(30)))
        .hasMessageContaining("bootstrap.reconnectJitter must be between 0 and 1");
    assertThatThrownBy(
            () -> new BootstrapConfig(Duration.ofSeconds(1), Duration.ofSeconds(60), 0.3, 0, Duration.ofSeconds(30)))
        .hasMessageContaining("bootstrap.maxReconnectAttempts must be at least 1");
  }

  @Test
  void optionsOfCallsAreChecked() {
    assertThatThrownBy(() -> AnnounceOptions.ttl(Duration.ofMillis(10)))
        .hasMessageContaining("ttl must be at least");
    assertThatThrownBy(() -> new AnnounceOptions(Duration.ofMinutes(1), java.time.Instant.now()))
        .hasMessageContaining("either ttl or expiresAt");
    assertThatThrownBy(() -> new BroadcastOptions(java.util.Set.of(), java.util.Set.of(), "no-slash"))
        .hasMessageContaining("protocol ID must start with '/'");
    assertThat(BroadcastOptions.excluding("a").exclude()).isEqualTo(java.util.Set.of("a"));
    assertThat(List.of(ConnectionState.values())).hasSize(8);
  }
}
