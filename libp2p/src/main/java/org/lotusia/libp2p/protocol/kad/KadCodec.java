package org.lotusia.libp2p.protocol.kad;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;
import org.lotusia.libp2p.internal.proto.DhtProtos.Record;

/** Conversions between the kad-dht protobuf messages and the DHT's Java types. */
final class KadCodec {
  /** RFC 3339 with nanoseconds in UTC, the form js-libp2p writes into {@code timeReceived}. */
  private static final DateTimeFormatter RFC3339 =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

  private KadCodec() {}

  /**
   * Parses one message body.
   *
   * @throws ProtocolViolationException when it is not a valid message or names more than {@code
   *     maxPeers} closer or provider peers
   */
  static Message parse(byte[] body, int maxPeers) {
    Message m;
    try {
      m = Message.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed kad message: " + e.getMessage(), e);
    }
    if (m.getCloserPeersCount() > maxPeers || m.getProviderPeersCount() > maxPeers) {
      throw new ProtocolViolationException(
          "kad message names "
              + m.getCloserPeersCount()
              + " closer and "
              + m.getProviderPeersCount()
              + " provider peers, the limit is "
              + maxPeers);
    }
    if (m.getType() == Message.MessageType.UNRECOGNIZED) {
      throw new ProtocolViolationException("unknown kad message type " + m.getTypeValue());
    }
    return m;
  }

  /** The framed bytes of {@code m}. */
  static byte[] frame(Message m) {
    return VarintFramer.frame(m.toByteArray());
  }

  /** Peers of a message; entries with an invalid ID are skipped, addresses capped per peer. */
  static List<KadPeer> peers(Collection<Message.Peer> pb, int maxAddrs) {
    List<KadPeer> out = new ArrayList<>(pb.size());
    for (Message.Peer p : pb) {
      PeerId id;
      try {
        id = PeerId.fromBytes(p.getId().toByteArray());
      } catch (IllegalArgumentException e) {
        continue;
      }
      List<Multiaddr> addrs = new ArrayList<>();
      for (ByteString a : p.getAddrsList()) {
        if (addrs.size() >= maxAddrs) {
          break;
        }
        try {
          addrs.add(Multiaddr.fromBytes(a.toByteArray()));
        } catch (IllegalArgumentException e) {
          // an address we cannot parse is useless to us; keep the others
        }
      }
      out.add(new KadPeer(id, addrs));
    }
    return out;
  }

  static Message.Peer toPb(KadPeer peer, boolean connected) {
    Message.Peer.Builder b =
        Message.Peer.newBuilder()
            .setId(ByteString.copyFrom(peer.id().toBytes()))
            .setConnection(
                connected
                    ? Message.ConnectionType.CONNECTED
                    : Message.ConnectionType.NOT_CONNECTED);
    peer.addresses().forEach(a -> b.addAddrs(ByteString.copyFrom(a.toBytes())));
    return b.build();
  }

  static Record record(byte[] key, byte[] value, Optional<Instant> timeReceived) {
    Record.Builder b =
        Record.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value));
    timeReceived.ifPresent(t -> b.setTimeReceived(rfc3339(t)));
    return b.build();
  }

  static String rfc3339(Instant t) {
    return RFC3339.format(t);
  }

  /** Parses a {@code timeReceived} value; empty when missing or malformed. */
  static Optional<Instant> parseTime(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
