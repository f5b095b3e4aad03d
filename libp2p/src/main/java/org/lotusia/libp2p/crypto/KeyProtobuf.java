package org.lotusia.libp2p.crypto;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.lotusia.libp2p.internal.proto.CryptoProto;

/**
 * Deterministic protobuf encoding of keys (peer-id spec: fields in tag order, every field present,
 * minimal varints) and strict decoding (both fields required, no unknown fields, known key type).
 */
final class KeyProtobuf {

  /** Largest accepted encoded key; an 8192-bit RSA private key in PKCS#1 DER is about 4.7 KiB. */
  static final int MAX_ENCODED_LENGTH = 16 * 1024;

  private KeyProtobuf() {}

  /** A decoded key message: type and the Data bytes. */
  record Decoded(KeyType type, byte[] data) {}

  static byte[] encodePublic(KeyType type, byte[] data) {
    return CryptoProto.PublicKey.newBuilder()
        .setType(CryptoProto.KeyType.forNumber(type.code()))
        .setData(ByteString.copyFrom(data))
        .build()
        .toByteArray();
  }

  static byte[] encodePrivate(KeyType type, byte[] data) {
    return CryptoProto.PrivateKey.newBuilder()
        .setType(CryptoProto.KeyType.forNumber(type.code()))
        .setData(ByteString.copyFrom(data))
        .build()
        .toByteArray();
  }

  static Decoded decodePublic(byte[] bytes) {
    checkLength(bytes, "public");
    CryptoProto.PublicKey pb;
    try {
      pb = CryptoProto.PublicKey.newBuilder().mergeFrom(bytes).buildPartial();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed public key protobuf: " + e.getMessage(), e);
    }
    check(pb.hasType(), pb.hasData(), pb.getUnknownFields().asMap().isEmpty(), "public");
    return new Decoded(KeyType.fromCode(pb.getType().getNumber()), pb.getData().toByteArray());
  }

  static Decoded decodePrivate(byte[] bytes) {
    checkLength(bytes, "private");
    CryptoProto.PrivateKey pb;
    try {
      pb = CryptoProto.PrivateKey.newBuilder().mergeFrom(bytes).buildPartial();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("malformed private key protobuf: " + e.getMessage(), e);
    }
    check(pb.hasType(), pb.hasData(), pb.getUnknownFields().asMap().isEmpty(), "private");
    return new Decoded(KeyType.fromCode(pb.getType().getNumber()), pb.getData().toByteArray());
  }

  private static void checkLength(byte[] bytes, String kind) {
    if (bytes.length > MAX_ENCODED_LENGTH) {
      throw new IllegalArgumentException(
          kind
              + " key protobuf of "
              + bytes.length
              + " bytes exceeds "
              + MAX_ENCODED_LENGTH
              + " bytes");
    }
  }

  private static void check(boolean hasType, boolean hasData, boolean noUnknown, String kind) {
    if (!noUnknown) {
      // proto2 puts unknown enum numbers into the unknown fields, so this also covers a bad key
      // type.
      throw new IllegalArgumentException(
          kind + " key protobuf has an unknown key type or unknown fields");
    }
    if (!hasType) {
      throw new IllegalArgumentException(kind + " key protobuf lacks the required Type field");
    }
    if (!hasData) {
      throw new IllegalArgumentException(kind + " key protobuf lacks the required Data field");
    }
  }
}
