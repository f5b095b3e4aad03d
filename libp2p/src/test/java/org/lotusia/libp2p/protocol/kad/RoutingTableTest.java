package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;

class RoutingTableTest {
  private final PeerId self = KadTestPeers.random();

  @Test
  void distanceIsXorOfSha256() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    b[0] = (byte) 0x20; // differs in bit 2
    KadKey ka = KadKey.ofHash(a);
    KadKey kb = KadKey.ofHash(b);
    assertThat(ka.commonPrefixLength(kb)).isEqualTo(2);
    assertThat(ka.commonPrefixLength(ka)).isEqualTo(256);
    assertThat(ka.distance(kb)[0]).isEqualTo((byte) 0x20);
    byte[] c = new byte[32];
    c[31] = 1;
    assertThat(ka.compareDistance(KadKey.ofHash(c), kb)).isNegative();
    // a peer's point is SHA-256 of its peer ID bytes
    assertThat(KadKey.of(self)).isEqualTo(KadKey.of(self.toBytes()));
  }

  @Test
  void rejectsSelfAndRefreshesKnownPeers() {
    RoutingTable t = new RoutingTable(self, 20);
    assertThat(t.add(self)).isInstanceOf(RoutingTable.AddResult.Rejected.class);
    PeerId p = KadTestPeers.random();
    assertThat(t.add(p)).isEqualTo(new RoutingTable.AddResult.Added(false));
    assertThat(t.add(p)).isEqualTo(new RoutingTable.AddResult.Added(true));
    assertThat(t.size()).isEqualTo(1);
    assertThat(t.remove(p)).isTrue();
    assertThat(t.contains(p)).isFalse();
  }

  @Test
  void lastBucketSplitsWhenFull() {
    RoutingTable t = new RoutingTable(self, 4);
    List<PeerId> peers = KadTestPeers.random(200);
    peers.forEach(t::add);
    assertThat(t.bucketCount()).isGreaterThan(1);
    // every non-last bucket i holds only peers sharing exactly i bits with us
    KadKey me = KadKey.of(self);
    for (int i = 0; i < t.bucketCount() - 1; i++) {
      for (PeerId p : t.bucket(i)) {
        assertThat(me.commonPrefixLength(KadKey.of(p))).isEqualTo(i);
      }
      assertThat(t.bucket(i)).hasSizeLessThanOrEqualTo(4);
    }
  }

  @Test
  void fullBucketPingsOldestAndKeepsItWhenAlive() {
    RoutingTable t = new RoutingTable(self, 3);
    // force splits so bucket 0 is a non-last bucket: peers far from us (cpl 0)
    List<PeerId> far = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      far.add(KadTestPeers.withCommonPrefix(self, 0));
    }
    for (int i = 0; i < 4; i++) {
      t.add(KadTestPeers.withCommonPrefix(self, 1));
    }
    far.forEach(t::add);
    PeerId newcomer = KadTestPeers.withCommonPrefix(self, 0);
    RoutingTable.AddResult r = t.add(newcomer);
    assertThat(r).isEqualTo(new RoutingTable.AddResult.PingNeeded(far.get(0)));
    // a second newcomer while the ping is pending is refused: no unbounded replacement queue
    assertThat(t.add(KadTestPeers.withCommonPrefix(self, 0)))
        .isInstanceOf(RoutingTable.AddResult.Rejected.class);
    assertThat(t.pingResult(far.get(0), true)).isEmpty();
    assertThat(t.contains(far.get(0))).isTrue();
    assertThat(t.contains(newcomer)).isFalse();
    // the pinged peer is now the most recently seen one
    assertThat(t.bucket(0)).last().isEqualTo(far.get(0));
  }

  @Test
  void deadOldestIsReplacedByNewcomer() {
    RoutingTable t = new RoutingTable(self, 2);
    for (int i = 0; i < 3; i++) {
      t.add(KadTestPeers.withCommonPrefix(self, 1));
    }
    PeerId a = KadTestPeers.withCommonPrefix(self, 0);
    PeerId b = KadTestPeers.withCommonPrefix(self, 0);
    t.add(a);
    t.add(b);
    PeerId c = KadTestPeers.withCommonPrefix(self, 0);
    assertThat(t.add(c)).isEqualTo(new RoutingTable.AddResult.PingNeeded(a));
    assertThat(t.pingResult(a, false)).contains(c);
    assertThat(t.contains(a)).isFalse();
    assertThat(t.bucket(0)).containsExactly(b, c);
  }

  @Test
  void closestMatchesBruteForce() {
    RoutingTable t = new RoutingTable(self, 20);
    List<PeerId> peers = KadTestPeers.random(300);
    peers.forEach(t::add);
    List<PeerId> inTable = t.peers();
    KadKey target = KadKey.of("/lotus/x".getBytes());
    List<PeerId> expected =
        inTable.stream()
            .sorted(Comparator.comparing(KadKey::of, target::compareDistance))
            .limit(20)
            .toList();
    assertThat(t.closest(target, 20)).containsExactlyElementsOf(expected);
  }
}
