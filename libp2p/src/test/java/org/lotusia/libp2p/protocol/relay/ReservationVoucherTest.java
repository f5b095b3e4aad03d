package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.record.Envelope;

/** Reservation vouchers as signed envelopes, and the limit conversions of the wire. */
class ReservationVoucherTest {

  private final IdentityPrivateKey relayKey = Keys.generateEd25519();
  private final PeerId relay = PeerId.fromPublicKey(relayKey.publicKey());
  private final PeerId peer = PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  private final Instant expiry = Instant.ofEpochSecond(1_800_000_000L);

  @Test
  void sealedVoucherOpensWithItsFields() {
    byte[] bytes = new ReservationVoucher(relay, peer, expiry).seal(relayKey).toBytes();
    ReservationVoucher v = ReservationVoucher.open(bytes, 4096);
    assertThat(v).isEqualTo(new ReservationVoucher(relay, peer, expiry));
    Envelope e = Envelope.open(bytes, "libp2p-relay-rsvp");
    assertThat(e.payloadType()).containsExactly(0x03, 0x02);
  }

  @Test
  void payloadIsCanonicalProtobufInFieldOrder() {
    byte[] payload = new ReservationVoucher(relay, peer, expiry).encode();
    byte[] r = relay.toBytes();
    // field 1 (relay) first: tag 0x0a, length, bytes
    assertThat(payload[0]).isEqualTo((byte) 0x0a);
    assertThat(payload[1]).isEqualTo((byte) r.length);
    int at = 2 + r.length;
    assertThat(payload[at]).isEqualTo((byte) 0x12);
    int expAt = at + 2 + peer.toBytes().length;
    assertThat(payload[expAt]).isEqualTo((byte) 0x18);
    assertThat(HexFormat.of().formatHex(payload, expAt + 1, payload.length))
        .isEqualTo("80a4a7da06"); // varint(1_800_000_000)
  }

  @Test
  void voucherSignedByAnotherKeyIsRefused() {
    IdentityPrivateKey other = Keys.generateEd25519();
    byte[] payload = new ReservationVoucher(relay, peer, expiry).encode();
    byte[] forged =
        Envelope.seal(other, ReservationVoucher.DOMAIN, ReservationVoucher.payloadType(), payload)
            .toBytes();
    assertThatThrownBy(() -> ReservationVoucher.open(forged, 4096))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signed by");
    assertThatThrownBy(() -> new ReservationVoucher(relay, peer, expiry).seal(other))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void voucherOfAnotherDomainOrTypeIsRefused() {
    byte[] payload = new ReservationVoucher(relay, peer, expiry).encode();
    byte[] wrongDomain =
        Envelope.seal(relayKey, "libp2p-peer-record", ReservationVoucher.payloadType(), payload)
            .toBytes();
    assertThatThrownBy(() -> ReservationVoucher.open(wrongDomain, 4096))
        .hasMessageContaining("does not verify");
    byte[] wrongType =
        Envelope.seal(relayKey, ReservationVoucher.DOMAIN, new byte[] {0x03, 0x01}, payload)
            .toBytes();
    assertThatThrownBy(() -> ReservationVoucher.open(wrongType, 4096))
        .hasMessageContaining("payload type");
    byte[] tampered = new ReservationVoucher(relay, peer, expiry).seal(relayKey).toBytes();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(() -> ReservationVoucher.open(tampered, 4096))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ReservationVoucher.open(new byte[5000], 4096))
        .hasMessageContaining("exceeds");
  }

  @Test
  void voucherWithoutExpirationIsRefused() {
    byte[] payload =
        RelayProto.Voucher.newBuilder()
            .setRelay(com.google.protobuf.ByteString.copyFrom(relay.toBytes()))
            .setPeer(com.google.protobuf.ByteString.copyFrom(peer.toBytes()))
            .build()
            .toByteArray();
    byte[] env =
        Envelope.seal(relayKey, ReservationVoucher.DOMAIN, ReservationVoucher.payloadType(), payload)
            .toBytes();
    assertThatThrownBy(() -> ReservationVoucher.open(env, 4096))
        .hasMessageContaining("lacks");
  }

  @Test
  void limitsRoundTripInWholeSecondsAndZeroMeansNone() {
    RelayProto.Limit pb =
        RelayCodec.toPb(new ConnectionLimits(Duration.ofMillis(1500), 131072)).orElseThrow();
    assertThat(pb.getDuration()).isEqualTo(2);
    assertThat(pb.getData()).isEqualTo(131072);
    assertThat(RelayCodec.fromPb(true, pb))
        .contains(new ConnectionLimits(Duration.ofSeconds(2), 131072));
    assertThat(RelayCodec.toPb(null)).isEmpty();
    assertThat(RelayCodec.toPb(new ConnectionLimits(Duration.ZERO, 0))).isEmpty();
    assertThat(RelayCodec.fromPb(true, RelayProto.Limit.getDefaultInstance())).isEmpty();
    assertThat(RelayCodec.fromPb(false, pb)).isEqualTo(Optional.empty());
    // a uint64 above 2^63 is no data limit at all in practice
    RelayProto.Limit huge = RelayProto.Limit.newBuilder().setData(-1L).setDuration(-1).build();
    assertThat(RelayCodec.fromPb(true, huge).orElseThrow().bytes()).isEqualTo(Long.MAX_VALUE);
    assertThat(RelayCodec.fromPb(true, huge).orElseThrow().duration().getSeconds())
        .isEqualTo(0xffff_ffffL);
  }
}
