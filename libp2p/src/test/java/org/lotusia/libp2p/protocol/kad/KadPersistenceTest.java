package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.text;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

/**
 * {@link RecordPersistence}: a DHT server reports what it stores for others, and a new DHT on the
 * same identity loads it back, keeps each record's receive time (so it expires when it would
 * have), serves it to other peers, and drops what expired or no longer validates.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KadPersistenceTest {

  private final SteppedClock clock = new SteppedClock();
  private final KadTestNet net = new KadTestNet(b -> b, clock);

  @AfterEach
  void close() {
    net.close();
  }

  /** An in-memory persistence, as a database would keep it. */
  static final class MapPersistence implements RecordPersistence {
    final Map<ByteBuffer, StoredRecord> records = new ConcurrentHashMap<>();
    final Map<String, StoredProvider> providers = new ConcurrentHashMap<>();
    volatile boolean throwOnWrite;

    @Override
    public List<StoredRecord> loadRecords() {
      return new ArrayList<>(records.values());
    }

    @Override
    public List<StoredProvider> loadProviders() {
      return new ArrayList<>(providers.values());
    }

    @Override
    public void recordStored(StoredRecord record) {
      if (throwOnWrite) {
        throw new IllegalStateException("disk full");
      }
      records.put(ByteBuffer.wrap(record.key()), record);
    }

    @Override
    public void recordRemoved(byte[] key) {
      records.remove(ByteBuffer.wrap(key));
    }

    @Override
    public void providerStored(StoredProvider provider) {
      providers.put(id(provider.key(), provider.provider()), provider);
    }

    @Override
    public void providerRemoved(byte[] key, PeerId provider) {
      providers.remove(id(key, provider));
    }

    private static String id(byte[] key, PeerId p) {
      return java.util.HexFormat.of().formatHex(key) + "/" + p;
    }
  }

  private static byte[] multihash(String text) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(utf8(text));
    byte[] mh = new byte[34];
    mh[0] = 0x12;
    mh[1] = 32;
    System.arraycopy(digest, 0, mh, 2, 32);
    return mh;
  }

  @Test
  void aRestartedServerServesWhatItStoredForOthers() throws Exception {
    MapPersistence disk = new MapPersistence();
    IdentityPrivateKey serverKey = Keys.generateEd25519();
    Host serverHost = net.host(serverKey);
    KadDht server = net.dht(serverHost, net.defaults().persistence(disk));
    KadDht writer = net.node();
    KadTestNet.connect(List.of(server, writer));

    byte[] key = utf8("/lotus/kept");
    join(writer.put(key, utf8("v1")));
    byte[] cid = multihash("content");
    join(writer.provide(cid));
    await().atMost(Duration.ofSeconds(30)).until(() -> disk.records.size() == 1 && disk.providers.size() == 1);
    RecordPersistence.StoredRecord stored = disk.records.values().iterator().next();
    assertThat(text(stored.value())).isEqualTo("v1");
    assertThat(stored.owner()).isEqualTo(writer.host.peerId());

    // the server restarts on the same identity; the writer is gone
    List<org.lotusia.libp2p.Multiaddr> writerAddrs = serverHost.peerStore().addresses(writer.host.peerId());
    server.close();
    join(serverHost.closeAsync());
    writer.close();
    Host again = net.host(serverKey);
    // provider answers carry the provider's addresses: a node keeps its peer store across restarts
    again.peerStore().addAddresses(writer.host.peerId(), writerAddrs, Duration.ofHours(1));
    KadDht restarted = net.dht(again, net.defaults().persistence(disk));
    await().atMost(Duration.ofSeconds(30)).until(() -> restarted.stats().storedRecords() == 1);
    assertThat(restarted.stats().providerKeys()).isEqualTo(1);

    // a new reader finds both through the restarted server
    KadDht reader = net.node();
    KadTestNet.connect(List.of(restarted, reader));
    assertThat(join(reader.get(key)).map(KadTestNet::text)).contains("v1");
    assertThat(join(reader.findProviders(cid, 5)))
        .extracting(KadPeer::id)
        .contains(writer.host.peerId());
    // the receive time survived the restart: the record expires on its original schedule
    assertThat(disk.records.values().iterator().next().timeReceived()).isEqualTo(stored.timeReceived());
  }

  @Test
  void expiredAndInvalidRecordsAreDroppedWhenLoaded() {
    MapPersistence disk = new MapPersistence();
    PeerId other = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
    java.time.Instant now = clock.instant();
    disk.recordStored(new RecordPersistence.StoredRecord(utf8("/lotus/fresh"), utf8("a"), now, other));
    disk.recordStored(
        new RecordPersistence.StoredRecord(
            utf8("/lotus/old"), utf8("b"), now.minus(Duration.ofHours(49)), other));
    disk.recordStored(
        new RecordPersistence.StoredRecord(utf8("/unknown-ns/x"), utf8("c"), now, other));
    disk.providerStored(
        new RecordPersistence.StoredProvider(utf8("old-provider"), other, now.minus(Duration.ofHours(49))));

    KadDht d = net.dht(net.host(), net.defaults().persistence(disk));
    await().atMost(Duration.ofSeconds(30)).until(() -> disk.records.size() == 1);
    assertThat(disk.records.keySet()).containsExactly(ByteBuffer.wrap(utf8("/lotus/fresh")));
    assertThat(disk.providers).isEmpty();
    assertThat(d.stats().storedRecords()).isEqualTo(1);
  }

  @Test
  void aFailingPersistenceNeverBreaksAPut() {
    MapPersistence disk = new MapPersistence();
    disk.throwOnWrite = true;
    KadDht server = net.dht(net.host(), net.defaults().persistence(disk));
    KadDht writer = net.node();
    KadTestNet.connect(List.of(server, writer));
    byte[] key = utf8("/lotus/memory-only");
    assertThat(join(writer.put(key, utf8("v")))).contains(server.host.peerId());
    assertThat(server.stats().storedRecords()).isEqualTo(1);
    assertThat(disk.records).isEmpty();
  }

  @Test
  void recordsExpiringWhileRunningAreRemovedFromThePersistence() {
    MapPersistence disk = new MapPersistence();
    KadDht server =
        net.dht(
            net.host(),
            net.defaults()
                .persistence(disk)
                .recordTtl(Duration.ofMinutes(10))
                .refreshInterval(Duration.ofMinutes(1)));
    KadDht writer = net.node();
    KadTestNet.connect(List.of(server, writer));
    join(writer.put(utf8("/lotus/short"), utf8("v")));
    await().atMost(Duration.ofSeconds(30)).until(() -> disk.records.size() == 1);
    clock.step(Duration.ofMinutes(11));
    await().atMost(Duration.ofSeconds(30)).until(() -> disk.records.isEmpty());
  }
}
