package org.lotusia.libp2p.protocol.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.record.Envelope;

/**
 * A reservation voucher (circuit relay v2, "Reservation Vouchers"): the relay's signed statement
 * that it serves {@code peer} until {@code expiration}. It travels as a signed envelope (RFC 0002)
 * with domain {@value #DOMAIN} and payload type {@code 0x0302}; the payload is the canonical
 * protobuf {@code Voucher{relay=1, peer=2, expiration=3}}.
 *
 * @param relay the relay's peer ID
 * @param peer the reserving peer's ID
 * @param expiration when the reservation ends (whole seconds)
 */
public record ReservationVoucher(PeerId relay, PeerId peer, Instant expiration) {

  /** The envelope domain. */
  public static final String DOMAIN = "libp2p-relay-rsvp";

  private static final byte[] PAYLOAD_TYPE = {0x03, 0x02};

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException when the expiration is before the UNIX epoch
   */
  public ReservationVoucher {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(peer, "peer");
    Objects.requireNonNull(expiration, "expiration");
    if (expiration.getEpochSecond() < 0) {
      throw new IllegalArgumentException("voucher expiration before 1970: " + expiration);
    }
  }

  /** The envelope payload type, the multicodec {@code 0x0302} as two bytes. */
  public static byte[] payloadType() {
    return PAYLOAD_TYPE.clone();
  }

  /** The canonical protobuf payload. */
  public byte[] encode() {
    return RelayProto.Voucher.newBuilder()
        .setRelay(ByteString.copyFrom(relay.toBytes()))
        .setPeer(ByteString.copyFrom(peer.toBytes()))
        .setExpiration(expiration.getEpochSecond())
        .build()
        .toByteArray();
  }

  /**
   * Signs this voucher with the relay's key.
   *
   * @throws IllegalArgumentException when {@code relayKey} is not the key of {@link #relay()}
   */
  public Envelope seal(IdentityPrivateKey relayKey) {
    if (!relay.matches(relayKey.publicKey())) {
      throw new IllegalArgumentException("voucher of relay " + relay + " signed with another key");
    }
    return Envelope.seal(relayKey, DOMAIN, PAYLOAD_TYPE, encode());
  }

  /**
   * Decodes and verifies a voucher envelope: the signature for {@value #DOMAIN}, the payload type,
   * the payload (all three fields present), and that the signer is the relay the voucher names.
   *
   * @param envelopeBytes the envelope as received
   * @param maxBytes the largest accepted envelope
   * @throws IllegalArgumentException naming the check that failed
   */
  public static ReservationVoucher open(byte[] envelopeBytes, int maxBytes) {
    Envelope envelope = Envelope.open(envelopeBytes, DOMAIN, maxBytes);
    if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
      throw new IllegalArgumentException(
          "voucher envelope has payload type "
              + Arrays.toString(envelope.payloadType())
              + ", expected [3, 2]");
    }
    RelayProto.Voucher pb;
    try {
      pb = RelayProto.Voucher.parseFrom(envelope.payload());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed voucher payload: " + e.getMessage(), e);
    }
    if (!pb.hasRelay() || !pb.hasPeer() || !pb.hasExpiration()) {
      throw new IllegalArgumentException("voucher lacks relay, peer or expiration");
    }
    if (pb.getExpiration() < 0 || pb.getExpiration() > Instant.MAX.getEpochSecond()) {
      throw new IllegalArgumentException("voucher expiration out of range: " + pb.getExpiration());
    }
    ReservationVoucher v =
        new ReservationVoucher(
            PeerId.fromBytes(pb.getRelay().toByteArray()),
            PeerId.fromBytes(pb.getPeer().toByteArray()),
            Instant.ofEpochSecond(pb.getExpiration()));
    if (!v.relay.matches(envelope.publicKey())) {
      throw new IllegalArgumentException(
          "voucher names relay " + v.relay + " but is signed by " + envelope.peerId());
    }
    return v;
  }
}
