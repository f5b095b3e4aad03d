package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.protocol.kad.RecordPersistence;

/**
 * {@link P2PConfigBuilder#dhtPersistence}: a DHT server hands the resource records it stores to the
 * persistence, and a new coordinator on the same identity and persistence serves them to a peer
 * that joins after the announcer left. {@link P2PCoordinator#networkComponents()} shows the run's
 * libp2p objects, and nothing after a stop.
 */
class DhtPersistenceTest {

  private final TestNodes nodes = new TestNodes();

  @AfterEach
  void close() {
    nodes.close();
  }

  /** Keeps the records in a map, as a database would. */
  static final class Kept implements RecordPersistence {
    final Map<String, StoredRecord> records = new ConcurrentHashMap<>();

    @Override
    public List<StoredRecord> loadRecords() {
      return new ArrayList<>(records.values());
    }

    @Override
    public List<StoredProvider> loadProviders() {
      return List.of();
    }

    @Override
    public void recordStored(StoredRecord r) {
      records.put(new String(r.key(), StandardCharsets.UTF_8), r);
    }

    @Override
    public void recordRemoved(byte[] key) {
      records.remove(new String(key, StandardCharsets.UTF_8));
    }

    @Override
    public void providerStored(StoredProvider p) {}

    @Override
    public void providerRemoved(byte[] key, PeerId provider) {}
  }

  @Test
  void aRestartedServerServesTheResourcesItHeld() {
    Kept disk = new Kept();
    IdentityPrivateKey key = Keys.generateEd25519();
    P2PCoordinator server = nodes.start(b -> b.identity(key).dhtPersistence(disk));
    assertThat(server.networkComponents()).hasValueSatisfying(c -> assertThat(c.dht()).isPresent());
    P2PCoordinator owner = nodes.start();
    TestNodes.connect(owner, server);
    await().atMost(WAIT).until(() -> owner.getDHTStats().routingTableSize() >= 1);
    join(owner.announceResource("svc", "kept-1", Map.of("v", 1)));
    await().atMost(WAIT).until(() -> disk.records.containsKey("resource:svc:kept-1"));

    owner.close();
    server.close();
    assertThat(server.networkComponents()).isEmpty();
    P2PCoordinator again = nodes.start(b -> b.identity(key).dhtPersistence(disk));
    P2PCoordinator reader = nodes.start();
    TestNodes.connect(reader, again);
    await().atMost(WAIT).until(() -> reader.getDHTStats().routingTableSize() >= 1);
    var found = join(reader.discoverResource("svc", "kept-1"));
    assertThat(found).hasValueSatisfying(a -> {
      assertThat(a.creatorPeerId()).isEqualTo(owner.peerId());
      assertThat(a.data().path("v").asInt()).isEqualTo(1);
    });
  }
}
