package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.join;
import static org.lotusia.libp2p.protocol.kad.KadTestNet.utf8;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message.MessageType;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;

/** Which addresses the DHT stores and serves, by {@link AddressFilter}. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class KadAddressFilterTest {
  private final KadTestNet net = new KadTestNet(b -> b);

  @AfterEach
  void close() {
    net.close();
  }

  @Test
  void privateAndPublicRanges() {
    for (String a :
        List.of(
            "/ip4/127.0.0.1/tcp/1",
            "/ip4/10.1.2.3/tcp/1",
            "/ip4/172.16.0.1/tcp/1",
            "/ip4/192.168.1.1/tcp/1",
            "/ip4/169.254.1.1/tcp/1",
            "/ip4/100.64.0.1/tcp/1",
            "/ip4/0.0.0.0/tcp/1",
            "/ip6/::1/tcp/1",
            "/ip6/fd00::1/tcp/1",
            "/ip6/fe80::1/tcp/1")) {
      assertThat(AddressFilter.isPrivate(Multiaddr.parse(a))).as(a).isTrue();
      assertThat(AddressFilter.PUBLIC.accept(Multiaddr.parse(a))).as(a).isFalse();
      assertThat(AddressFilter.PRIVATE.accept(Multiaddr.parse(a))).as(a).isTrue();
    }
    for (String a :
        List.of(
            "/ip4/8.8.8.8/tcp/1",
            "/ip4/100.128.0.1/tcp/1",
            "/ip4/172.32.0.1/tcp/1",
            "/ip6/2001:db8::1/tcp/1",
            "/dns4/example.org/tcp/1/ws")) {
      assertThat(AddressFilter.isPrivate(Multiaddr.parse(a))).as(a).isFalse();
      assertThat(AddressFilter.PUBLIC.accept(Multiaddr.parse(a))).as(a).isTrue();
    }
  }

  /** The closer peers a server answers to a FIND_NODE for a random key. */
  private static List<KadPeer> findNode(Host from, KadDht server) {
    Stream s = join(from.newStream(server.host().listenAddresses().get(0), List.of(KadTestNet.PROTO)));
    Message req =
        Message.newBuilder()
            .setType(MessageType.FIND_NODE)
            .setKey(ByteString.copyFrom(utf8("some key")))
            .build();
    join(s.write(KadCodec.frame(req)));
    VarintFramer d = new VarintFramer(1 << 20, "kad message");
    while (true) {
      List<byte[]> frames = d.feed(join(s.readSome(4096)));
      if (!frames.isEmpty()) {
        s.close();
        return KadCodec.peers(KadCodec.parse(frames.get(0), 100).getCloserPeersList(), 32);
      }
    }
  }

  @Test
  void aPublicOnlyServerNeitherServesNorAnnouncesLoopbackAddresses() {
    KadDht open = net.node();
    KadDht strict = net.dht(net.host(), net.defaults().addressFilter(AddressFilter.PUBLIC));
    KadDht member = net.node();
    for (KadDht server : List.of(open, strict)) {
      join(member.host().dial(server.host().listenAddresses().get(0)));
      await().atMost(Duration.ofSeconds(30)).until(() -> server.routingTableSize() >= 1);
    }
    Host asker = net.host();
    // the open server names the member with its loopback address
    assertThat(findNode(asker, open))
        .extracting(KadPeer::id)
        .contains(member.host().peerId());
    // the strict one knows the member too, but has no address it may serve for it
    assertThat(join(strict.routingTablePeers())).contains(member.host().peerId());
    assertThat(findNode(asker, strict)).isEmpty();
    assertThat(strict.selfAddresses()).isEmpty();
  }

  @Test
  void aCustomFilterKeepsOnlyWhatItAccepts() {
    KadDht server = net.node();
    KadDht member = net.node();
    join(member.host().dial(server.host().listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> server.routingTableSize() >= 1);
    Multiaddr memberAddr = member.host().listenAddresses().get(0).withoutPeerId();
    // a client that keeps every address but the member's: it learns the member without one
    KadDht picky =
        net.dht(
            net.host(),
            net.defaults().clientMode(true).addressFilter(a -> !a.equals(memberAddr)));
    join(picky.host().dial(server.host().listenAddresses().get(0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> picky.routingTableSize() >= 1);
    List<KadPeer> closest = join(picky.getClosestPeers(utf8("k")));
    assertThat(closest).extracting(KadPeer::id).contains(server.host().peerId());
    PeerId m = member.host().peerId();
    assertThat(picky.host().peerStore().addresses(m)).doesNotContain(memberAddr);
  }
}
