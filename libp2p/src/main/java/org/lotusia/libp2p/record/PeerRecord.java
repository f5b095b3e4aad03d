package org.lotusia.libp2p.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.PeerRecordProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A peer record (libp2p RFC 0003): a peer's ID, a sequence number and its listen addresses, carried
 * in a signed {@link Envelope} with domain {@value #DOMAIN} and payload type {@code 0x03 0x01}
 * (multicodec {@code libp2p-peer-record}, 0x0301).
 *
 * <p>{@code seq} is an unsigned 64-bit counter held in a {@code long}; compare with {@link
 * Long#compareUnsigned}. Addresses that this SDK cannot decode (unknown protocols) are skipped when
 * decoding, as go-libp2p does, so a record from a newer peer still yields its usable addresses.
 *
 * @param peerId the peer the record describes
 * @param seq the sequence number; newer records have larger values (unsigned)
 * @param addresses the listen addresses, in order
 */
public record PeerRecord(PeerId peerId, long seq, List<Multiaddr> addresses) {

  private static final Logger LOG = LoggerFactory.getLogger(PeerRecord.class);

  /** Envelope domain of peer records. */
  public static final String DOMAIN = "libp2p-peer-record";

  /** Default limit on the number of addresses accepted when decoding. */
  public static final int DEFAULT_MAX_ADDRESSES = 256;

  private static final byte[] PAYLOAD_TYPE = {0x03, 0x01};

  /**
   * Validates and copies the address list.
   *
   * @throws NullPointerException if any argument or address is null
   */
  public PeerRecord {
    Objects.requireNonNull(peerId, "peerId");
    addresses = List.copyOf(addresses);
  }

  /**
   * The envelope payload type of peer records, {@code 0x03 0x01}.
   *
   * @return a fresh copy
   */
  public static byte[] payloadType() {
    return PAYLOAD_TYPE.clone();
  }

  /**
   * The protobuf payload.
   *
   * @return the encoded record
   */
  public byte[] encode() {
    PeerRecordProto.PeerRecord.Builder b =
        PeerRecordProto.PeerRecord.newBuilder()
            .setPeerId(ByteString.copyFrom(peerId.toBytes()))
            .setSeq(seq);
    for (Multiaddr a : addresses) {
      b.addAddresses(
          PeerRecordProto.PeerRecord.AddressInfo.newBuilder()
              .setMultiaddr(ByteString.copyFrom(a.toBytes())));
    }
    return b.build().toByteArray();
  }

  /**
   * Decodes a protobuf payload (not verified; use {@link #fromEnvelope} for records received from
   * peers).
   *
   * @param payload the encoded record
   * @param maxAddresses largest accepted number of addresses
   * @return the record
   * @throws IllegalArgumentException if malformed, the peer ID is invalid, or there are too many
   *     addresses
   */
  public static PeerRecord decode(byte[] payload, int maxAddresses) {
    PeerRecordProto.PeerRecord pb;
    try {
      pb = PeerRecordProto.PeerRecord.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed peer record protobuf: " + e.getMessage(), e);
    }
    if (pb.getAddressesCount() > maxAddresses) {
      throw new IllegalArgumentException(
          "peer record has "
              + pb.getAddressesCount()
              + " addresses, more than the limit of "
              + maxAddresses);
    }
    PeerId id;
    try {
      id = PeerId.fromBytes(pb.getPeerId().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "peer record has an invalid peer ID: " + e.getMessage(), e);
    }
    List<Multiaddr> addrs = new ArrayList<>(pb.getAddressesCount());
    for (PeerRecordProto.PeerRecord.AddressInfo info : pb.getAddressesList()) {
      try {
        addrs.add(Multiaddr.fromBytes(info.getMultiaddr().toByteArray()));
      } catch (IllegalArgumentException e) {
        LOG.debug("skipping undecodable address in peer record of {}: {}", id, e.getMessage());
      }
    }
    return new PeerRecord(id, pb.getSeq(), addrs);
  }

  /**
   * Seals this record into a signed envelope.
   *
   * @param key the private key of {@link #peerId()}
   * @return the envelope
   * @throws IllegalArgumentException if the key does not belong to the record's peer
   */
  public Envelope seal(IdentityPrivateKey key) {
    if (!peerId.matches(key.publicKey())) {
      throw new IllegalArgumentException(
          "key of peer "
              + PeerId.fromPublicKey(key.publicKey())
              + " cannot sign a record of peer "
              + peerId);
    }
    return Envelope.seal(key, DOMAIN, PAYLOAD_TYPE, encode());
  }

  /**
   * Extracts the record from an envelope after checking, in this order, the payload type, the
   * signature for domain {@value #DOMAIN}, and that the record's peer ID is the signer's.
   *
   * @param envelope the envelope
   * @param maxAddresses largest accepted number of addresses
   * @return the verified record
   * @throws IllegalArgumentException naming the failed check
   */
  public static PeerRecord fromEnvelope(Envelope envelope, int maxAddresses) {
    if (!Arrays.equals(envelope.payloadType(), PAYLOAD_TYPE)) {
      throw new IllegalArgumentException(
          "envelope payload type is not libp2p-peer-record (0x0301)");
    }
    // RFC 0003: verify the signature before deserializing the payload.
    if (!envelope.verify(DOMAIN)) {
      throw new IllegalArgumentException("peer record envelope signature does not verify");
    }
    PeerRecord record = decode(envelope.payload(), maxAddresses);
    if (!record.peerId().matches(envelope.publicKey())) {
      throw new IllegalArgumentException(
          "peer record of "
              + record.peerId()
              + " was signed by another peer, "
              + envelope.peerId());
    }
    return record;
  }

  /**
   * Decodes and verifies an envelope holding a peer record, with the default limits.
   *
   * @param envelopeBytes the protobuf envelope
   * @return the verified record
   * @throws IllegalArgumentException naming the failed check
   */
  public static PeerRecord open(byte[] envelopeBytes) {
    return fromEnvelope(
        Envelope.decode(envelopeBytes, Envelope.DEFAULT_MAX_BYTES), DEFAULT_MAX_ADDRESSES);
  }
}
