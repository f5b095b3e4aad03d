package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.multiformats.Multihash;

/** The DHT example of docs/HOWTO.md, run on loopback TCP between two hosts. */
class KadHowToTest {
  private final List<Host> hosts = new ArrayList<>();
  private final List<KadDht> dhts = new ArrayList<>();

  @AfterEach
  void close() {
    dhts.forEach(KadDht::close);
    hosts.forEach(h -> h.closeAsync().join());
  }

  private KadDht startNode() {
    Host host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    host.start().join();
    hosts.add(host);
    KadDht dht =
        new KadDht(
            host,
            KadDhtConfig.builder()
                .protocolId(KadDhtConfig.LOTUS_PROTOCOL)
                .validator("lotus", (key, value) -> {})
                .build());
    dht.start();
    dhts.add(dht);
    return dht;
  }

  @Test
  void putGetProvide() {
    KadDht other = startNode();
    Multiaddr bootstrapAddr = other.host.listenAddresses().get(0);
    Host host = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    host.start().join();
    hosts.add(host);
    // howto:begin kad-dht
    KadDhtConfig config =
        KadDhtConfig.builder()
            .protocolId(KadDhtConfig.LOTUS_PROTOCOL) // lotus-sdk's DHT; default /ipfs/kad/1.0.0
            .validator("lotus", (key, value) -> {}) // accept /lotus/... records; throw to reject
            .build();
    KadDht dht = new KadDht(host, config);
    dht.start().join(); // serves the protocol; peers join when identify shows they serve it
    host.dial(bootstrapAddr).join();
    dht.bootstrap().join(); // a lookup of our own ID fills the routing table

    byte[] key = "/lotus/resource:x:1".getBytes(StandardCharsets.UTF_8);
    List<PeerId> storedAt = dht.put(key, "{\"v\":1}".getBytes(StandardCharsets.UTF_8)).join();
    Optional<byte[]> value = dht.get(key).join(); // best value by the namespace's selector

    byte[] content = Multihash.sha256("some content".getBytes(StandardCharsets.UTF_8)).toBytes();
    dht.provide(content).join();
    List<KadPeer> providers = dht.findProviders(content, 10).join();
    dht.close();
    // howto:end kad-dht
    assertThat(storedAt).containsExactly(other.host.peerId());
    assertThat(value).hasValue("{\"v\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(providers).extracting(KadPeer::id).containsExactly(host.peerId());
    assertThat(join(KadInteropAccess.localProviders(other, content))).contains(host.peerId());
  }

  private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
    return f.join();
  }
}
