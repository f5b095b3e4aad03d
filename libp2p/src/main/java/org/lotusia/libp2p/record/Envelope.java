package org.lotusia.libp2p.record;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.libp2p.internal.proto.CryptoProto;
import org.lotusia.libp2p.internal.proto.EnvelopeProto;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * A signed envelope (libp2p RFC 0002): a payload, its type, the signer's public key and a signature
 * over {@code varint(len(domain)) domain varint(len(type)) type varint(len(payload)) payload}. The
 * domain string is not transmitted; the receiver supplies the domain it expects, which keeps a
 * signature made for one purpose from being accepted for another.
 *
 * <p>Wire form: protobuf {@code Envelope{public_key=1, payload_type=2, payload=3, signature=5}}.
 *
 * <p>Immutable and thread-safe; accessors return copies. Decoding errors and failed verification
 * throw {@link IllegalArgumentException} naming the problem; code that receives envelopes from a
 * remote peer treats that as a protocol violation of that peer.
 */
public final class Envelope {

  /** Default limit on the encoded size of an envelope accepted by {@link #open(byte[], String)}. */
  public static final int DEFAULT_MAX_BYTES = 64 * 1024;

  private final IdentityPublicKey publicKey;
  private final byte[] payloadType;
  private final byte[] payload;
  private final byte[] signature;

  private Envelope(IdentityPublicKey publicKey, byte[] payloadType, byte[] payload, byte[] signature) {
    this.publicKey = publicKey;
    this.payloadType = payloadType;
    this.payload = payload;
    this.signature = signature;
  }

  /**
   * Signs a payload into an envelope.
   *
   * @param key the signer's private key
   * @param domain the domain separation string, not empty
   * @param payloadType the payload type (usually a multicodec), copied
   * @param payload the payload, copied
   * @return the sealed envelope
   * @throws IllegalArgumentException if the domain is empty
   */
  public static Envelope seal(IdentityPrivateKey key, String domain, byte[] payloadType, byte[] payload) {
    byte[] sig = key.sign(signedBytes(domain, payloadType, payload));
    return new Envelope(key.publicKey(), payloadType.clone(), payload.clone(), sig);
  }

  /**
   * Decodes an envelope and verifies its signature for the expected domain, with the default size
   * limit.
   *
   * @param bytes the protobuf envelope
   * @param domain the domain the signature must have been made for
   * @return the verified envelope
   * @throws IllegalArgumentException if malformed, too large, or the signature does not verify
   */
  public static Envelope open(byte[] bytes, String domain) {
    return open(bytes, domain, DEFAULT_MAX_BYTES);
  }

  /**
   * Decodes an envelope and verifies its signature for the expected domain.
   *
   * @param bytes the protobuf envelope
   * @param domain the domain the signature must have been made for
   * @param maxBytes largest accepted encoding
   * @return the verified envelope
   * @throws IllegalArgumentException if malformed, too large, or the signature does not verify
   */
  public static Envelope open(byte[] bytes, String domain, int maxBytes) {
    Envelope e = decode(bytes, maxBytes);
    if (!e.verify(domain)) {
      throw new IllegalArgumentException(
          "envelope signature does not verify for domain '" + domain + "'");
    }
    return e;
  }

  /**
   * Decodes an envelope without verifying it; call {@link #verify(String)} before trusting the
   * payload.
   *
   * @param bytes the protobuf envelope
   * @param maxBytes largest accepted encoding
   * @return the envelope
   * @throws IllegalArgumentException if malformed or too large
   */
  public static Envelope decode(byte[] bytes, int maxBytes) {
    if (bytes.length > maxBytes) {
      throw new IllegalArgumentException(
          "envelope of " + bytes.length + " bytes exceeds the limit of " + maxBytes);
    }
    EnvelopeProto.Envelope pb;
    try {
      pb = EnvelopeProto.Envelope.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed envelope protobuf: " + e.getMessage(), e);
    }
    if (!pb.hasPublicKey()) {
      throw new IllegalArgumentException("envelope has no public key");
    }
    if (pb.getSignature().isEmpty()) {
      throw new IllegalArgumentException("envelope has no signature");
    }
    IdentityPublicKey key;
    try {
      key = Keys.decodePublicKey(pb.getPublicKey().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("envelope public key is invalid: " + e.getMessage(), e);
    }
    return new Envelope(
        key,
        pb.getPayloadType().toByteArray(),
        pb.getPayload().toByteArray(),
        pb.getSignature().toByteArray());
  }

  /**
   * Whether the signature is valid for the domain.
   *
   * @param domain the expected domain separation string
   * @return true if the signature verifies with the enclosed public key
   */
  public boolean verify(String domain) {
    return publicKey.verify(signedBytes(domain, payloadType, payload), signature);
  }

  /**
   * The bytes that are signed: length-prefixed domain, payload type and payload.
   *
   * @param domain the domain separation string, not empty
   * @param payloadType the payload type
   * @param payload the payload
   * @return the buffer to sign or verify
   * @throws IllegalArgumentException if the domain is empty
   */
  public static byte[] signedBytes(String domain, byte[] payloadType, byte[] payload) {
    if (domain.isEmpty()) {
      throw new IllegalArgumentException("envelope domain must not be empty");
    }
    byte[] d = domain.getBytes(StandardCharsets.UTF_8);
    int len =
        Varint.encodedLength(d.length)
            + d.length
            + Varint.encodedLength(payloadType.length)
            + payloadType.length
            + Varint.encodedLength(payload.length)
            + payload.length;
    byte[] out = new byte[len];
    int pos = 0;
    pos = append(out, pos, d);
    pos = append(out, pos, payloadType);
    append(out, pos, payload);
    return out;
  }

  private static int append(byte[] out, int pos, byte[] field) {
    pos += Varint.write(field.length, out, pos);
    System.arraycopy(field, 0, out, pos, field.length);
    return pos + field.length;
  }

  /**
   * The protobuf encoding.
   *
   * @return a fresh array
   */
  public byte[] toBytes() {
    CryptoProto.PublicKey key;
    try {
      key = CryptoProto.PublicKey.parseFrom(publicKey.encoded());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("own public key encoding does not parse", e);
    }
    return EnvelopeProto.Envelope.newBuilder()
        .setPublicKey(key)
        .setPayloadType(ByteString.copyFrom(payloadType))
        .setPayload(ByteString.copyFrom(payload))
        .setSignature(ByteString.copyFrom(signature))
        .build()
        .toByteArray();
  }

  /**
   * The signer's public key.
   *
   * @return the key
   */
  public IdentityPublicKey publicKey() {
    return publicKey;
  }

  /**
   * The signer's peer ID, derived from the public key.
   *
   * @return the peer ID
   */
  public PeerId peerId() {
    return PeerId.fromPublicKey(publicKey);
  }

  /**
   * The payload type.
   *
   * @return a copy
   */
  public byte[] payloadType() {
    return payloadType.clone();
  }

  /**
   * The payload.
   *
   * @return a copy
   */
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * The signature.
   *
   * @return a copy
   */
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Envelope e
        && publicKey.equals(e.publicKey)
        && Arrays.equals(payloadType, e.payloadType)
        && Arrays.equals(payload, e.payload)
        && Arrays.equals(signature, e.signature);
  }

  @Override
  public int hashCode() {
    return 31 * publicKey.hashCode() + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "Envelope(signer="
        + peerId()
        + ", payloadType="
        + payloadType.length
        + " bytes, payload="
        + payload.length
        + " bytes)";
  }
}
