package org.lotusia.libp2p.internal.noise;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.libp2p.internal.proto.NoiseExtensions;
import org.lotusia.libp2p.internal.proto.NoiseHandshakePayload;

/**
 * Builds and checks the libp2p handshake payload (noise-libp2p spec, "The libp2p Handshake
 * Payload"): {@code NoiseHandshakePayload{identity_key, identity_sig, extensions}}, where {@code
 * identity_sig} is the identity key's signature over {@code "noise-libp2p-static-key:" || static
 * X25519 public key}.
 *
 * <p>Stateless and thread-safe.
 */
final class NoisePayloads {

  /** The signing prefix of the spec, UTF-8. */
  static final byte[] STATIC_KEY_PREFIX =
      "noise-libp2p-static-key:".getBytes(StandardCharsets.UTF_8);

  private NoisePayloads() {}

  /** The bytes the identity key signs for a static key. */
  static byte[] signedData(byte[] staticPublicKey) {
    byte[] out = new byte[STATIC_KEY_PREFIX.length + staticPublicKey.length];
    System.arraycopy(STATIC_KEY_PREFIX, 0, out, 0, STATIC_KEY_PREFIX.length);
    System.arraycopy(staticPublicKey, 0, out, STATIC_KEY_PREFIX.length, staticPublicKey.length);
    return out;
  }

  /**
   * Signs {@code staticPublicKey} with {@code identity} and encodes the payload. The extensions
   * field is left out when both lists are empty, as js-libp2p and go-libp2p do for plain TCP
   * connections.
   */
  static byte[] create(
      IdentityPrivateKey identity,
      byte[] staticPublicKey,
      List<String> streamMuxers,
      List<byte[]> webtransportCerthashes) {
    NoiseHandshakePayload.Builder b =
        NoiseHandshakePayload.newBuilder()
            .setIdentityKey(ByteString.copyFrom(identity.publicKey().encoded()))
            .setIdentitySig(ByteString.copyFrom(identity.sign(signedData(staticPublicKey))));
    if (!streamMuxers.isEmpty() || !webtransportCerthashes.isEmpty()) {
      NoiseExtensions.Builder ext = NoiseExtensions.newBuilder().addAllStreamMuxers(streamMuxers);
      for (byte[] h : webtransportCerthashes) {
        ext.addWebtransportCerthashes(ByteString.copyFrom(h));
      }
      b.setExtensions(ext);
    }
    return b.build().toByteArray();
  }

  /**
   * Decodes a remote payload, decodes its identity key (any type the key factory supports) and
   * verifies the signature over the remote static key received in the handshake. Unknown fields,
   * and unknown fields inside the extensions, are ignored.
   *
   * @throws NoiseFailure naming the failed check
   */
  static Verified verify(byte[] payload, byte[] remoteStaticKey) {
    NoiseHandshakePayload p;
    try {
      p = NoiseHandshakePayload.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new NoiseFailure(
          "Noise handshake payload is not a valid NoiseHandshakePayload protobuf: "
              + e.getMessage(),
          e);
    }
    if (!p.hasIdentityKey() || p.getIdentityKey().isEmpty()) {
      throw new NoiseFailure("Noise handshake payload has no identity_key");
    }
    if (!p.hasIdentitySig() || p.getIdentitySig().isEmpty()) {
      throw new NoiseFailure("Noise handshake payload has no identity_sig");
    }
    IdentityPublicKey key;
    try {
      key = Keys.decodePublicKey(p.getIdentityKey().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new NoiseFailure(
          "Noise handshake payload has an unusable identity_key: " + e.getMessage(), e);
    }
    if (!key.verify(signedData(remoteStaticKey), p.getIdentitySig().toByteArray())) {
      throw new NoiseFailure(
          "Noise handshake identity_sig of the "
              + key.type()
              + " identity key does not sign the remote static Noise key");
    }
    NoiseExtensions ext = p.getExtensions(); // default instance when absent
    List<byte[]> certhashes =
        ext.getWebtransportCerthashesList().stream().map(ByteString::toByteArray).toList();
    return new Verified(
        key, PeerId.fromPublicKey(key), List.copyOf(ext.getStreamMuxersList()), certhashes);
  }

  /** A payload whose signature checked out. */
  record Verified(IdentityPublicKey key, PeerId peer, List<String> streamMuxers, List<byte[]> certhashes) {}
}
