package org.lotusia.libp2p.internal.noise;

import java.util.List;
import java.util.Objects;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPublicKey;

/**
 * The outcome of a completed Noise handshake: who the remote is, proven by its signature over its
 * static Noise key, and the extensions it sent (noise-libp2p spec, "Noise Extensions").
 *
 * <p>Immutable. The extension lists are the remote's claims, authenticated by the handshake but not
 * interpreted here: {@code remoteStreamMuxers} non-empty means the remote offers early muxer
 * negotiation, which the connection upgrader may use or ignore. The record's {@code equals}
 * compares the byte-array components by identity; compare sessions by {@link #remotePeer()}.
 *
 * @param remotePeer the peer ID derived from {@code remoteKey}
 * @param remoteKey the remote's libp2p identity key
 * @param remoteStaticKey the remote's 32-byte X25519 static Noise key
 * @param remoteStreamMuxers {@code NoiseExtensions.stream_muxers} of the remote, in its order of
 *     preference
 * @param remoteWebtransportCerthashes {@code NoiseExtensions.webtransport_certhashes} of the remote
 * @param handshakeHash the final Noise handshake hash {@code h}, equal on both sides (channel
 *     binding)
 */
public record SecureSession(
    PeerId remotePeer,
    IdentityPublicKey remoteKey,
    byte[] remoteStaticKey,
    List<String> remoteStreamMuxers,
    List<byte[]> remoteWebtransportCerthashes,
    byte[] handshakeHash) {

  /** Validates and copies the components. */
  public SecureSession {
    Objects.requireNonNull(remotePeer, "remotePeer");
    Objects.requireNonNull(remoteKey, "remoteKey");
    remoteStaticKey = remoteStaticKey.clone();
    remoteStreamMuxers = List.copyOf(remoteStreamMuxers);
    remoteWebtransportCerthashes =
        remoteWebtransportCerthashes.stream().map(byte[]::clone).toList();
    handshakeHash = handshakeHash.clone();
  }

  /** A copy of the remote static key. */
  @Override
  public byte[] remoteStaticKey() {
    return remoteStaticKey.clone();
  }

  /** A copy of the handshake hash. */
  @Override
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  @Override
  public String toString() {
    return "SecureSession[remotePeer="
        + remotePeer
        + ", keyType="
        + remoteKey.type()
        + ", remoteStreamMuxers="
        + remoteStreamMuxers
        + "]";
  }
}
