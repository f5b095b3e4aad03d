package org.lotusia.libp2p.protocol.autonat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.failure;
import static org.lotusia.libp2p.protocol.autonat.NatTestNet.join;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.LengthPrefixed;
import org.lotusia.libp2p.internal.proto.NatProto;
import org.lotusia.libp2p.internal.proto.NatProto.V1Message;
import org.lotusia.libp2p.internal.proto.NatProto.V2Message;

/**
 * Hostile AutoNAT requesters: third-party dials, dial-data abuse, malformed and oversized messages,
 * floods. The server never dials what it must not, answers or resets, and keeps serving.
 */
class AutoNatAttackTest {

  private final NatTestNet net = new NatTestNet();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private AutoNatServer server(Host s, AutoNatServerConfig.Builder b) {
    return net.own(new AutoNatServer(s, b.allowPrivateAddresses(true).build()));
  }

  private static byte[] v2Request(long nonce, Multiaddr... addrs) {
    NatProto.DialRequest.Builder r = NatProto.DialRequest.newBuilder().setNonce(nonce);
    for (Multiaddr a : addrs) {
      r.addAddrs(ByteString.copyFrom(a.toBytes()));
    }
    return LengthPrefixed.frame(V2Message.newBuilder().setDialRequest(r).build().toByteArray());
  }

  /** Waits for a write the server may cut short with a reset. */
  private static void quietly(java.util.concurrent.CompletableFuture<Void> write) {
    write.handle((v, e) -> null).join();
  }

  private static V2Message readV2(Stream s) throws Exception {
    return V2Message.parseFrom(join(LengthPrefixed.read(s, 8192, "test")));
  }

  @Test
  void v2NeverDialsAThirdPartyIp() throws Exception {
    Host s = net.host();
    AutoNatServer server = server(s, AutoNatServerConfig.builder());
    Host c = net.host();
    Stream st = join(c.newStream(s.listenAddresses().get(0), List.of(AutoNat.V2_DIAL_REQUEST)));
    // the victim: another IP than the one the requester is observed at (127.0.0.1)
    join(st.write(v2Request(7, Multiaddr.parse("/ip4/127.0.0.2/tcp/4001"))));
    V2Message m = readV2(st);
    assertThat(m.getDialResponse().getStatus()).isEqualTo(AutoNat.STATUS_DIAL_REFUSED);
    assertThat(server.dialBacks()).isZero();
  }

  @Test
  void v1NeverDialsAThirdPartyIp() throws Exception {
    Host s = net.host();
    AutoNatServer server = server(s, AutoNatServerConfig.builder());
    Host c = net.host();
    Stream st = join(c.newStream(s.listenAddresses().get(0), List.of(AutoNat.V1)));
    V1Message dial =
        V1Message.newBuilder()
            .setType(V1Message.MessageType.DIAL)
            .setDial(
                V1Message.Dial.newBuilder()
                    .setPeer(
                        V1Message.PeerInfo.newBuilder()
                            .setId(ByteString.copyFrom(c.peerId().toBytes()))
                            .addAddrs(
                                ByteString.copyFrom(
                                    Multiaddr.parse("/ip4/127.0.0.2/tcp/4001").toBytes()))))
            .build();
    join(st.write(LengthPrefixed.frame(dial.toByteArray())));
    V1Message r = V1Message.parseFrom(join(LengthPrefixed.read(st, 8192, "test")));
    assertThat(r.getDialResponse().getStatus()).isEqualTo(V1Message.ResponseStatus.E_DIAL_REFUSED);
    assertThat(server.dialBacks()).isZero();
  }

  @Test
  void dialDataIsPaidBeforeAnotherIpIsDialledAndOversizedChunksAreRefused() throws Exception {
    Host s = net.host();
    AutoNatServer server =
        server(s, AutoNatServerConfig.builder().dialDataForOtherIps(true).dialData(30_000, 30_000));
    Host c = net.host();
    Stream st = join(c.newStream(s.listenAddresses().get(0), List.of(AutoNat.V2_DIAL_REQUEST)));
    join(st.write(v2Request(9, Multiaddr.parse("/ip4/127.0.0.2/tcp/4001"))));
    V2Message ask = readV2(st);
    assertThat(ask.getDialDataRequest().getNumBytes()).isEqualTo(30_000);
    assertThat(ask.getDialDataRequest().getAddrIdx()).isZero();
    // abuse: one chunk above the spec's 4096 bytes, meant to be counted in full
    byte[] big =
        V2Message.newBuilder()
            .setDialDataResponse(
                NatProto.DialDataResponse.newBuilder()
                    .setData(ByteString.copyFrom(new byte[AutoNat.MAX_DIAL_DATA_CHUNK + 1])))
            .build()
            .toByteArray();
    quietly(st.write(LengthPrefixed.frame(big)));
    assertThat(failure(st.readAll(1024))).isNotNull();
    assertThat(server.dialBacks()).isZero();
  }

  @Test
  void aClientPaysDialDataOnlyUpToItsLimit() {
    Host s = net.host();
    AutoNatServer server =
        server(s, AutoNatServerConfig.builder().dialDataForOtherIps(true).dialData(50_000, 50_000));
    Host c = net.host();
    AutoNat cheap =
        net.own(new AutoNat(c, AutoNatConfig.builder().maxDialDataToSend(10_000).build()));
    join(c.dial(s.listenAddresses().get(0)));
    join(c.identified(s.peerId()));
    ProbeResult r =
        join(cheap.probe(s.peerId(), List.of(Multiaddr.parse("/ip4/127.0.0.2/tcp/4001"))));
    assertThat(r.outcome()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.detail()).contains("dial data");
    assertThat(server.dialBacks()).isZero();
  }

  @Test
  void malformedAndOversizedMessagesAreRefusedAndTheServerKeepsServing() throws Exception {
    Host s = net.host();
    server(s, AutoNatServerConfig.builder().maxMessageSize(1024));
    Host c = net.host();
    Multiaddr addr = s.listenAddresses().get(0);
    // garbage protobuf on v1: answered E_BAD_REQUEST
    Stream v1 = join(c.newStream(addr, List.of(AutoNat.V1)));
    join(v1.write(LengthPrefixed.frame(new byte[] {(byte) 0xff, 0x01, 0x02})));
    V1Message r = V1Message.parseFrom(join(LengthPrefixed.read(v1, 8192, "test")));
    assertThat(r.getDialResponse().getStatus()).isEqualTo(V1Message.ResponseStatus.E_BAD_REQUEST);
    // a length above the limit: reset before any body byte is read
    Stream big = join(c.newStream(addr, List.of(AutoNat.V2_DIAL_REQUEST)));
    quietly(big.write(new byte[] {(byte) 0xff, (byte) 0xff, 0x7f}));
    assertThat(failure(big.readAll(1024))).isNotNull();
    // a v2 message without DialRequest: reset
    Stream empty = join(c.newStream(addr, List.of(AutoNat.V2_DIAL_REQUEST)));
    quietly(empty.write(LengthPrefixed.frame(new byte[0])));
    assertThat(failure(empty.readAll(1024))).isNotNull();
    // too many addresses: reset
    Multiaddr[] many = new Multiaddr[40];
    java.util.Arrays.fill(many, Multiaddr.parse("/ip4/127.0.0.1/tcp/1"));
    Stream flood = join(c.newStream(addr, List.of(AutoNat.V2_DIAL_REQUEST)));
    quietly(flood.write(v2Request(1, many)));
    assertThat(failure(flood.readAll(1024))).isNotNull();
    // still serving: a good request gets its answer
    Stream good = join(c.newStream(addr, List.of(AutoNat.V2_DIAL_REQUEST)));
    join(good.write(v2Request(3, c.listenAddresses().get(0).withoutPeerId())));
    assertThat(readV2(good).getDialResponse().getStatus()).isEqualTo(AutoNat.STATUS_OK);
  }

  @Test
  void requestsBeyondThePerPeerLimitAreRejected() throws Exception {
    Host s = net.host();
    AutoNatServer server =
        server(s, AutoNatServerConfig.builder().rateLimits(1, 100, Duration.ofMinutes(1)));
    Host c = net.host();
    Multiaddr addr = s.listenAddresses().get(0);
    Multiaddr own = c.listenAddresses().get(0).withoutPeerId();
    Stream first = join(c.newStream(addr, List.of(AutoNat.V2_DIAL_REQUEST)));
    join(first.write(v2Request(1, own)));
    assertThat(readV2(first).getDialResponse().getStatus()).isEqualTo(AutoNat.STATUS_OK);
    Stream second = join(c.newStream(addr, List.of(AutoNat.V2_DIAL_REQUEST)));
    join(second.write(v2Request(2, own)));
    assertThat(readV2(second).getDialResponse().getStatus())
        .isEqualTo(AutoNat.STATUS_REQUEST_REJECTED);
    assertThat(server.refused()).isEqualTo(1);
  }

  @Test
  void aDialBackWithAnUnknownNonceIsReset() {
    Host c = net.host();
    net.own(new AutoNat(c, AutoNatConfig.DEFAULT));
    Host attacker = net.host();
    Stream st = join(attacker.newStream(c.listenAddresses().get(0), List.of(AutoNat.V2_DIAL_BACK)));
    join(st.write(LengthPrefixed.frame(NatProto.DialBack.newBuilder().setNonce(42).build().toByteArray())));
    assertThat(failure(st.readAll(64))).isNotNull();
  }
}
