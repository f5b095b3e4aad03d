package org.lotusia.libp2p.protocol.identify;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.IdentifyProtos.Identify;
import org.lotusia.libp2p.record.PeerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes and decodes identify messages: a protobuf {@code Identify} prefixed with its unsigned
 * varint length, as js-libp2p and go-libp2p send it.
 */
public final class IdentifyCodec {

  private static final Logger LOG = LoggerFactory.getLogger(IdentifyCodec.class);

  private IdentifyCodec() {}

  /** Encodes {@code info} with its length prefix. */
  public static byte[] encode(IdentifyInfo info) {
    Identify.Builder b =
        Identify.newBuilder()
            .setProtocolVersion(info.protocolVersion())
            .setAgentVersion(info.agentVersion())
            .setPublicKey(ByteString.copyFrom(info.publicKey().encoded()));
    info.listenAddrs().forEach(a -> b.addListenAddrs(ByteString.copyFrom(a.toBytes())));
    info.observedAddr().ifPresent(a -> b.setObservedAddr(ByteString.copyFrom(a.toBytes())));
    b.addAllProtocols(info.protocols());
    info.signedPeerRecord().ifPresent(r -> b.setSignedPeerRecord(ByteString.copyFrom(r)));
    return VarintFramer.frame(b.build().toByteArray());
  }

  /**
   * Decodes one length-prefixed identify message sent by {@code remote}.
   *
   * @param partial true for a push, where the public key may be absent ({@code knownKey} is used)
   * @throws ProtocolViolationException when the framing, protobuf, key or peer ID is wrong
   */
  public static IdentifyInfo decode(
      byte[] framed, PeerId remote, IdentityPublicKey knownKey, boolean partial) {
    // The message was read to its end, so it is bounded already; the framer checks the prefix.
    VarintFramer framer = new VarintFramer(framed.length, "identify message");
    List<byte[]> frames = framer.feed(framed);
    if (frames.isEmpty()) {
      throw new ProtocolViolationException(
          "identify: the length prefix announces more than the "
              + framer.buffered()
              + " bytes received");
    }
    if (frames.size() != 1 || framer.buffered() != 0) {
      throw new ProtocolViolationException(
          "identify: bytes follow the message its length prefix announces");
    }
    Identify msg;
    try {
      msg = Identify.parseFrom(frames.get(0));
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("identify: undecodable message", e);
    }
    IdentityPublicKey key = knownKey;
    if (msg.hasPublicKey()) {
      try {
        key = Keys.decodePublicKey(msg.getPublicKey().toByteArray());
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException("identify: bad public key: " + e.getMessage(), e);
      }
      if (!remote.matches(key)) {
        throw new ProtocolViolationException("identify: public key does not match peer " + remote);
      }
    } else if (!partial || key == null) {
      throw new ProtocolViolationException("identify: message without a public key");
    }
    List<Multiaddr> addrs = new ArrayList<>();
    for (ByteString a : msg.getListenAddrsList()) {
      decodeAddr(a).ifPresent(addrs::add);
    }
    Optional<Multiaddr> observed =
        msg.hasObservedAddr() ? decodeAddr(msg.getObservedAddr()) : Optional.empty();
    Optional<byte[]> record = Optional.empty();
    if (msg.hasSignedPeerRecord()) {
      byte[] envelope = msg.getSignedPeerRecord().toByteArray();
      if (validRecord(envelope, remote)) {
        record = Optional.of(envelope);
      }
    }
    return new IdentifyInfo(
        msg.getProtocolVersion(),
        msg.getAgentVersion(),
        key,
        addrs,
        observed,
        msg.getProtocolsList(),
        record);
  }

  /** Whether {@code envelope} is a peer record signed by {@code remote} about itself. */
  private static boolean validRecord(byte[] envelope, PeerId remote) {
    try {
      PeerRecord record = PeerRecord.open(envelope);
      if (record.peerId().equals(remote)) {
        return true;
      }
      LOG.debug(
          "identify: dropping a signed peer record about {} sent by {}", record.peerId(), remote);
    } catch (IllegalArgumentException e) {
      // As other implementations do, an invalid record is dropped, not fatal to identify.
      LOG.debug(
          "identify: dropping an invalid signed peer record from {}: {}", remote, e.getMessage());
    }
    return false;
  }

  private static Optional<Multiaddr> decodeAddr(ByteString bytes) {
    try {
      return Optional.of(Multiaddr.fromBytes(bytes.toByteArray()));
    } catch (IllegalArgumentException e) {
      // An address with a protocol we do not know: skip it, as other implementations do.
      return Optional.empty();
    }
  }
}
