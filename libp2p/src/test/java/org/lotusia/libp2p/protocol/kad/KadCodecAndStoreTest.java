package org.lotusia.libp2p.protocol.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.multiformats.Cid;
import org.lotusia.libp2p.multiformats.Multihash;

class KadCodecAndStoreTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private final PeerId self = KadTestPeers.random();
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void framesSplitAcrossChunksAndSeveralPerChunk() {
    VarintFramer d = new VarintFramer(1000, "kad message");
    byte[] a = VarintFramer.frame(new byte[300]);
    byte[] b = VarintFramer.frame(utf8("hi"));
    assertThat(d.feed(new byte[] {a[0]})).isEmpty();
    byte[] rest = new byte[a.length - 1 + b.length];
    System.arraycopy(a, 1, rest, 0, a.length - 1);
    System.arraycopy(b, 0, rest, a.length - 1, b.length);
    List<byte[]> frames = d.feed(rest);
    assertThat(frames).hasSize(2);
    assertThat(frames.get(0)).hasSize(300);
    assertThat(frames.get(1)).isEqualTo(utf8("hi"));
    assertThat(d.buffered()).isZero();
  }

  @Test
  void oversizeLengthPrefixIsRejectedBeforeBuffering() {
    VarintFramer d = new VarintFramer(64 * 1024, "kad message");
    byte[] prefix = VarintFramer.frame(new byte[64 * 1024 + 1]);
    assertThatThrownBy(() -> d.feed(java.util.Arrays.copyOf(prefix, 3)))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("exceeds the limit");
    assertThatThrownBy(
            () ->
                new VarintFramer(10, "kad message")
                    .feed(
                        new byte[] {
                          (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1
                        }))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void tooManyPeersAndGarbageAreProtocolViolations() {
    Message.Builder m = Message.newBuilder().setType(Message.MessageType.FIND_NODE);
    for (int i = 0; i < 101; i++) {
      m.addCloserPeers(Message.Peer.newBuilder().setId(ByteString.copyFrom(self.toBytes())));
    }
    assertThatThrownBy(() -> KadCodec.parse(m.build().toByteArray(), 100))
        .isInstanceOf(ProtocolViolationException.class)
        .hasMessageContaining("limit is 100");
    assertThatThrownBy(() -> KadCodec.parse(new byte[] {(byte) 0x0a, 0x7f, 1}, 100))
        .isInstanceOf(ProtocolViolationException.class);
  }

  @Test
  void invalidPeerEntriesAreSkippedAndAddressesCapped() {
    Message.Peer bad = Message.Peer.newBuilder().setId(ByteString.copyFrom(utf8("nope"))).build();
    Message.Peer.Builder good =
        Message.Peer.newBuilder().setId(ByteString.copyFrom(self.toBytes()));
    for (int i = 0; i < 40; i++) {
      good.addAddrs(
          ByteString.copyFrom(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + (1000 + i)).toBytes()));
    }
    good.addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff}));
    List<KadPeer> peers = KadCodec.peers(List.of(bad, good.build()), 32);
    assertThat(peers).hasSize(1);
    assertThat(peers.get(0).id()).isEqualTo(self);
    assertThat(peers.get(0).addresses()).hasSize(32);
  }

  @Test
  void timeReceivedIsRfc3339WithNanosecondsLikeJs() {
    Instant t = Instant.parse("2026-11-21T04:29:41.589Z");
    assertThat(KadCodec.rfc3339(t)).isEqualTo("2026-11-21T04:29:41.589000000Z");
    assertThat(KadCodec.parseTime("2026-11-21T04:29:41.589000000Z")).contains(t);
    assertThat(KadCodec.parseTime("")).isEmpty();
    assertThat(KadCodec.parseTime("yesterday")).isEmpty();
  }

  @Test
  void namespacesFollowJsRules() {
    Namespaces ns =
        new Namespaces(
            Map.of(
                "lotus",
                (k, v) -> {
                  if (v.length == 0) {
                    throw new IllegalArgumentException("empty");
                  }
                }),
            Map.of("lotus", (k, vs) -> vs.size() - 1));
    ns.validate(utf8("/lotus/res/1"), utf8("x"));
    ns.validate(utf8("/lotus/bin\0\u00ff"), utf8("x"));
    assertThatThrownBy(() -> ns.validate(utf8("/lotus/res/1"), new byte[0]))
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> ns.validate(utf8("/ipns/abc"), utf8("x")))
        .hasMessageContaining("no validator");
    assertThatThrownBy(() -> ns.validate(utf8("/lotus"), utf8("x")))
        .hasMessageContaining("no namespace")
        .hasMessageContaining("unnamespacedValidator");
    assertThatThrownBy(() -> ns.validate(utf8("lotus/res/2"), utf8("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ns.select(utf8("/lotus/a"), List.of(utf8("a"), utf8("b")))).isEqualTo(1);
    // js takes the second /-separated part whatever comes first
    assertThat(Namespaces.namespace(utf8("x/lotus/y"))).isEqualTo("lotus");
    // lotus-sdk keys have no namespace: rejected unless a validator for them is configured
    assertThatThrownBy(() -> ns.validate(utf8("resource:t:1"), utf8("{}")))
        .hasMessageContaining("no namespace")
        .hasMessageContaining("unnamespacedValidator");
    Namespaces lotus = new Namespaces(Map.of(), Map.of(), (k, v) -> {});
    lotus.validate(utf8("resource:t:1"), utf8("{}"));
    assertThat(lotus.select(utf8("resource:t:1"), List.of(utf8("a"), utf8("b")))).isZero();
    // built-in pk namespace: the value must be the key of the peer named in the key
    var key = org.lotusia.libp2p.crypto.Keys.generateEd25519();
    PeerId id = PeerId.fromPublicKey(key.publicKey());
    byte[] pkKey = concat(utf8("/pk/"), id.toBytes());
    ns.validate(pkKey, key.publicKey().encoded());
    assertThatThrownBy(
            () ->
                ns.validate(
                    pkKey, org.lotusia.libp2p.crypto.Keys.generateEd25519().publicKey().encoded()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void recordStoreLimitsCountBytesAndPerPeerQuota() {
    RecordStore s = new RecordStore(self, 3, 1000, 2, Duration.ofHours(48));
    PeerId mallory = KadTestPeers.random();
    assertThat(s.put(utf8("/n/1"), utf8("a"), mallory, t0)).isTrue();
    assertThat(s.put(utf8("/n/2"), utf8("a"), mallory, t0)).isTrue();
    assertThat(s.put(utf8("/n/3"), utf8("a"), mallory, t0)).isFalse(); // per-peer quota
    assertThat(s.put(utf8("/n/1"), utf8("b"), mallory, t0)).isTrue(); // replacing is fine
    assertThat(s.put(utf8("/n/3"), utf8("a"), KadTestPeers.random(), t0)).isTrue();
    assertThat(s.put(utf8("/n/4"), utf8("a"), self, t0)).isFalse(); // count limit
    assertThat(s.put(utf8("/n/1"), new byte[2000], self, t0)).isFalse(); // byte limit
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.get(utf8("/n/1"), t0).orElseThrow().value()).isEqualTo(utf8("b"));
  }

  @Test
  void recordsExpireAfterTtl() {
    RecordStore s = new RecordStore(self, 10, 1000, 10, Duration.ofHours(48));
    s.put(utf8("/n/1"), utf8("a"), self, t0);
    assertThat(s.get(utf8("/n/1"), t0.plus(Duration.ofHours(47)))).isPresent();
    assertThat(s.get(utf8("/n/1"), t0.plus(Duration.ofHours(48)))).isEmpty();
    s.put(utf8("/n/2"), utf8("a"), self, t0);
    assertThat(s.expire(t0.plus(Duration.ofHours(49)))).isEqualTo(1);
    assertThat(s.bytes()).isZero();
  }

  @Test
  void providerStoreLimitsAndExpiry() {
    ProviderStore s = new ProviderStore(self, 2, 2, 3, Duration.ofHours(48));
    byte[] k1 = Multihash.sha256(utf8("1")).toBytes();
    byte[] k2 = Multihash.sha256(utf8("2")).toBytes();
    byte[] k3 = Multihash.sha256(utf8("3")).toBytes();
    PeerId a = KadTestPeers.random();
    PeerId b = KadTestPeers.random();
    assertThat(s.add(k1, a, t0)).isTrue();
    assertThat(s.add(k1, b, t0.plusSeconds(1))).isTrue();
    assertThat(s.add(k1, KadTestPeers.random(), t0)).isFalse(); // per key
    assertThat(s.add(k2, a, t0)).isTrue();
    assertThat(s.add(k3, a, t0)).isFalse(); // key count
    assertThat(s.get(k1, t0.plusSeconds(2))).containsExactly(b, a);
    assertThat(s.get(k1, t0.plus(Duration.ofHours(48)))).containsExactly(b);
    assertThat(s.expire(t0.plus(Duration.ofHours(49)))).isEqualTo(2);
    assertThat(s.keyCount()).isZero();
  }

  @Test
  void providerKeysAcceptSha256MultihashAndCidOnly() {
    Multihash mh = Multihash.sha256(utf8("content"));
    assertThat(KadRequestHandler.providerKey(mh.toBytes())).isEqualTo(mh.toBytes());
    assertThat(KadRequestHandler.providerKey(Cid.v1(Cid.RAW, mh).toBytes()))
        .isEqualTo(mh.toBytes());
    assertThatThrownBy(() -> KadRequestHandler.providerKey(Multihash.identity(utf8("x")).toBytes()))
        .isInstanceOf(ProtocolViolationException.class);
  }
}
