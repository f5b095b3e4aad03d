package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.multiformats.Multihash;

/**
 * Time-driven upkeep with a stepped clock: records and provider records expire, a node republishes
 * what it put and re-announces what it provides before that happens, and fresh nodes configured
 * only with bootstrap peers find each other and serve records.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KadMaintenanceTest {
  private final SteppedClock clock = new SteppedClock();
  private final KadTestNet net =
      new KadTestNet(
          b ->
              b.recordTtl(Duration.ofHours(48))
                  .providerTtl(Duration.ofHours(48))
                  .republishInterval(Duration.ofHours(22))
                  .reprovideInterval(Duration.ofHours(22))
                  .refreshInterval(Duration.ofMinutes(5)),
          clock);

  @AfterEach
  void close() {
    net.close();
  }

  private static boolean holds(KadDht d, byte[] key) {
    return join(KadInteropAccess.localValue(d, key)).isPresent();
  }

  @Test
  void ownRecordsAndProvidersAreRepublishedBeforeTheyExpire() {
    List<KadDht> nodes = net.network(4);
    KadDht owner = nodes.get(1);
    byte[] key = utf8("/lotus/kept");
    byte[] content = Multihash.sha256(utf8("content")).toBytes();
    join(owner.put(key, utf8("v")));
    join(owner.provide(content));
    // a record put by a node that stops republishing: stored only at the others
    byte[] orphan = utf8("/lotus/orphan");
    join(KadInteropAccess.storeLocally(nodes.get(2), orphan, utf8("o")));
    join(KadInteropAccess.storeLocally(nodes.get(3), orphan, utf8("o")));
    for (KadDht d : nodes) {
      assertThat(holds(d, key)).isTrue();
    }

    // 23 h: the owner is due (22 h) and sends everything again
    clock.step(Duration.ofHours(23));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> owner.stats().republished() >= 2);
    // 49 h after the first put: the original copies expired, the republished ones (23 h old) live
    clock.step(Duration.ofHours(26));
    for (KadDht d : nodes) {
      assertThat(holds(d, key)).as("republished record at %s", d.host().peerId()).isTrue();
      assertThat(join(KadInteropAccess.localProviders(d, content)))
          .as("re-announced provider at %s", d.host().peerId())
          .contains(owner.host().peerId());
      assertThat(holds(d, orphan)).as("expired record at %s", d.host().peerId()).isFalse();
    }
  }

  @Test
  void theRefreshExpiresStoredRecordsAndProviders() {
    KadDht d = net.node();
    join(KadInteropAccess.storeLocally(d, utf8("/lotus/a"), utf8("1")));
    byte[] mh = Multihash.sha256(utf8("x")).toBytes();
    join(KadInteropAccess.addProviderLocally(d, mh, KadTestPeers.random()));
    await().atMost(Duration.ofSeconds(10)).until(() -> d.stats().storedRecords() == 1);
    clock.step(Duration.ofHours(49));
    // no read: the periodic refresh (due after 5 min by the clock) drops both
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> d.stats().storedRecords() == 0 && d.stats().providerKeys() == 0);
  }

  @Test
  void freshNodesWithOnlyBootstrapPeersFindEachOtherAndServeRecords() {
    KadDht first = net.node();
    KadDhtConfig.Builder withBoot =
        net.defaults().bootstrapPeers(List.of(first.host().listenAddresses().get(0)));
    KadDht second = net.dht(net.host(), withBoot);
    KadDht third = net.dht(net.host(), withBoot);
    // each knows the other two: the third learns the second through the first's answer
    for (KadDht d : List.of(first, second, third)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> d.routingTableSize() == 2);
    }
    assertThat(join(third.put(utf8("/lotus/r"), utf8("x")))).hasSize(2);
    assertThat(join(second.get(utf8("/lotus/r")))).hasValue(utf8("x"));
    // a FIND_NODE for a fresh node's own ID is not empty: go-libp2p (libp2p/specs#609) refuses
    // peers that answer its lookup check with no peers
    assertThat(join(first.getClosestPeers(second.host().peerId().toBytes())))
        .extracting(KadPeer::id)
        .contains(second.host().peerId());
  }

  @Test
  void aRefreshWalksEveryStaleBucketBesidesTheSelfLookup() {
    List<KadDht> nodes = net.network(6);
    KadDht d = nodes.get(2);
    // random walk keys land in the bucket they are made for
    for (int cpl : List.of(0, 3, 9)) {
      byte[] key = join(KadInteropAccess.onExecutor(d, () -> d.maintenance.randomKeyWithCpl(cpl)));
      assertThat(KadKey.of(d.host().peerId()).commonPrefixLength(KadKey.of(key))).isEqualTo(cpl);
    }
    long before = d.stats().queriesStarted();
    int buckets = d.stats().bucketSizes().size();
    // every bucket is stale after a whole interval without lookups
    clock.step(Duration.ofMinutes(6));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> d.stats().queriesStarted() >= before + 1 + buckets);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> d.stats().queriesSucceeded() == d.stats().queriesStarted());
  }
}
