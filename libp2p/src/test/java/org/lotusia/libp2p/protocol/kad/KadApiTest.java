package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

/** Routing-table events, mode and stats, and the per-call options of get and put. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KadApiTest {
  private final KadTestNet net = new KadTestNet(b -> b);

  @AfterEach
  void close() {
    net.close();
  }

  /** A key whose peer shares no leading bit with {@code self}: it lands in bucket 0. */
  private static IdentityPrivateKey farFrom(PeerId self) {
    while (true) {
      IdentityPrivateKey k = Keys.generateEd25519();
      if (KadKey.of(self).commonPrefixLength(KadKey.of(PeerId.fromPublicKey(k.publicKey()))) == 0) {
        return k;
      }
    }
  }

  record Event(String kind, PeerId peer, String thread) {}

  @Test
  void listenersHearAddsAndEvictionsOffTheDhtThread() {
    KadDht s =
        net.dht(net.host(), net.defaults().k(1).requestTimeout(Duration.ofSeconds(1)));
    assertThat(s.isServerMode()).isTrue();
    assertThat(s.routingTableSize()).isZero();
    List<Event> events = new CopyOnWriteArrayList<>();
    s.addListener(
        new KadListener() {
          @Override
          public void peerAdded(PeerId peer) {
            events.add(new Event("added", peer, Thread.currentThread().getName()));
          }

          @Override
          public void peerRemoved(PeerId peer) {
            events.add(new Event("removed", peer, Thread.currentThread().getName()));
          }
        });
    Host a = net.host(farFrom(s.host.peerId()));
    KadDht da = net.dht(a);
    join(a.dial(s.host.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> s.routingTableSize() == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 1);
    // a goes away; b arrives in the same full bucket: the ping of a fails and b replaces it
    da.close();
    join(a.closeAsync());
    Host b = net.host(farFrom(s.host.peerId()));
    net.dht(b);
    join(b.dial(s.host.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> events.size() == 3);
    assertThat(events)
        .extracting(Event::kind, Event::peer)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("added", a.peerId()),
            org.assertj.core.groups.Tuple.tuple("removed", a.peerId()),
            org.assertj.core.groups.Tuple.tuple("added", b.peerId()));
    assertThat(events).noneMatch(e -> e.thread().startsWith("lotus-kad-dht-"));
    assertThat(s.routingTableSize()).isEqualTo(1);
    // k = 1: the first bucket is full, the split-off last one empty
    assertThat(s.stats().bucketSizes()).containsExactly(1, 0);
  }

  @Test
  void aThrowingListenerDoesNotStopOthers() {
    KadDht s = net.node();
    List<PeerId> heard = new CopyOnWriteArrayList<>();
    s.addListener(
        new KadListener() {
          @Override
          public void peerAdded(PeerId peer) {
            throw new IllegalStateException("listener bug");
          }
        });
    KadListener good =
        new KadListener() {
          @Override
          public void peerAdded(PeerId peer) {
            heard.add(peer);
          }
        };
    s.addListener(good);
    KadDht other = net.node();
    join(other.host.dial(s.host.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> heard.contains(other.host.peerId()));
    s.removeListener(good);
    KadDht third = net.node();
    join(third.host.dial(s.host.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> s.routingTableSize() == 2);
    assertThat(heard).containsExactly(other.host.peerId());
  }

  @Test
  void statsShowModeSizesAndQueries() {
    List<KadDht> nodes = net.network(5);
    KadDht d = nodes.get(2);
    join(d.put(utf8("/lotus/a"), utf8("1")));
    byte[] content = org.lotusia.libp2p.multiformats.Multihash.sha256(utf8("c")).toBytes();
    join(d.provide(content));
    KadStats st = d.stats();
    assertThat(st.mode()).isEqualTo(KadStats.Mode.SERVER);
    assertThat(st.routingTableSize()).isEqualTo(4).isEqualTo(d.routingTableSize());
    assertThat(st.bucketSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
    assertThat(st.storedRecords()).isEqualTo(1);
    assertThat(st.providerKeys()).isEqualTo(1);
    assertThat(st.queriesStarted()).isGreaterThanOrEqualTo(3);
    assertThat(st.queriesSucceeded()).isEqualTo(st.queriesStarted());
    assertThat(nodes.get(0).stats().requestsServed()).isGreaterThan(0);
    KadDht client =
        net.dht(net.host(), net.defaults().clientMode(true));
    assertThat(client.isServerMode()).isFalse();
    assertThat(client.stats().mode()).isEqualTo(KadStats.Mode.CLIENT);
  }

  @Test
  void aQuorumStopsTheGetEarly() {
    List<KadDht> nodes = net.network(16);
    byte[] key = utf8("/lotus/q");
    assertThat(join(nodes.get(1).put(key, utf8("x")))).hasSizeGreaterThanOrEqualTo(12);
    long before = served(nodes);
    assertThat(join(nodes.get(9).get(key, GetOptions.quorum(1)))).hasValue(utf8("x"));
    long withQuorum = served(nodes) - before;
    before = served(nodes);
    assertThat(join(nodes.get(9).get(key))).hasValue(utf8("x"));
    long full = served(nodes) - before;
    // alpha = 3 requests in flight when the first value arrives; the full walk asks all k closest
    assertThat(withQuorum).isLessThanOrEqualTo(6);
    assertThat(full).isGreaterThanOrEqualTo(12);
  }

  private static long served(List<KadDht> nodes) {
    return nodes.stream().mapToLong(n -> n.stats().requestsServed()).sum();
  }

  @Test
  void aGetTimeoutBoundsTheLookupAgainstASilentPeer() {
    KadDht d = net.dht(net.host(), net.defaults().requestTimeout(Duration.ofSeconds(60)));
    Host silent = net.host();
    // serves the protocol (identify shows it) but never answers
    silent.setStreamHandler(KadTestNet.PROTO, stream -> {});
    join(d.host.dial(silent.listenAddresses().get(0)));
    long start = System.nanoTime();
    assertThat(join(d.get(utf8("/lotus/x"), GetOptions.DEFAULTS.withTimeout(Duration.ofMillis(500)))))
        .isEmpty();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void putRequiresItsReplicas() {
    KadDht alone = net.node();
    // nobody known: the record stays local and the put succeeds
    assertThat(join(alone.put(utf8("/lotus/a"), utf8("1")))).isEmpty();
    assertThatThrownBy(() -> join(alone.put(utf8("/lotus/a"), utf8("2"), PutOptions.DEFAULTS.withMinReplicas(1))))
        .isInstanceOf(KadPutException.class);
    List<KadDht> nodes = net.network(3);
    KadPutException e =
        (KadPutException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    join(
                        nodes.get(0)
                            .put(utf8("/lotus/b"), utf8("1"), PutOptions.DEFAULTS.withMinReplicas(5))));
    assertThat(e.required()).isEqualTo(5);
    assertThat(e.storedAt()).containsExactlyInAnyOrder(nodes.get(1).host.peerId(), nodes.get(2).host.peerId());
    // a peer that rejects the namespace: the default (1 replica when peers are known) fails
    KadDht strict = net.dht(net.host(), KadDhtConfig.builder().protocolId(KadTestNet.PROTO));
    KadDht lonely = net.node();
    join(lonely.host.dial(strict.host.listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> lonely.routingTableSize() == 1);
    assertThatThrownBy(() -> join(lonely.put(utf8("/lotus/c"), utf8("1"))))
        .isInstanceOf(KadPutException.class);
  }

  @Test
  void badOptionsAreRefusedWithAMessage() {
    assertThatThrownBy(() -> GetOptions.quorum(-1)).hasMessageContaining("quorum must be >= 0");
    assertThatThrownBy(() -> GetOptions.DEFAULTS.withTimeout(Duration.ZERO))
        .hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> PutOptions.DEFAULTS.withMinReplicas(-2))
        .hasMessageContaining("minReplicas must be >= 0");
  }

  @Test
  void disjointPathsAskEveryPeerOnceAndReportTheirRounds() {
    KadTestNet paths = new KadTestNet(b -> b.disjointPaths(3));
    try {
      List<KadDht> nodes = paths.network(25);
      List<PeerId> queried = new CopyOnWriteArrayList<>();
      java.util.concurrent.CompletableFuture<QueryStats> end =
          new java.util.concurrent.CompletableFuture<>();
      List<KadPeer> closest =
          join(
              nodes.get(7)
                  .getClosestPeers(
                      utf8("/lotus/d"),
                      new QueryListener() {
                        @Override
                        public void peerQueried(PeerId peer, int round) {
                          queried.add(peer);
                        }

                        @Override
                        public void finished(QueryStats stats) {
                          end.complete(stats);
                        }
                      }));
      // the listener's end came before the result
      assertThat(end).isDone();
      QueryStats stats = end.join();
      assertThat(queried).doesNotHaveDuplicates().hasSize(stats.peersQueried());
      assertThat(stats.rounds()).isPositive();
      // no path idled until the lookup deadline once the other paths had claimed its peers
      assertThat(stats.stoppedEarly()).isFalse();
      assertThat(stats.peersSucceeded()).isGreaterThanOrEqualTo(closest.size());
      assertThat(closest).hasSize(20);
      // the true 20 closest of the network (every node is reachable and answers)
      KadKey target = KadKey.of(utf8("/lotus/d"));
      List<PeerId> truth =
          nodes.stream()
              .map(n -> n.host().peerId())
              .filter(p -> !p.equals(nodes.get(7).host().peerId()))
              .sorted(java.util.Comparator.comparing(KadKey::of, target::compareDistance))
              .limit(20)
              .toList();
      assertThat(closest).extracting(KadPeer::id).containsExactlyElementsOf(truth);
    } finally {
      paths.close();
    }
  }

  @Test
  void disjointPathsMustBeBetweenOneAndK() {
    assertThatThrownBy(() -> KadDhtConfig.builder().disjointPaths(21).build())
        .hasMessageContaining("disjointPaths must be between 1 and k (20)");
  }
}
