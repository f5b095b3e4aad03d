package org.lotusia.libp2p.protocol.dcutr;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.AddressScope;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.LengthPrefixed;
import org.lotusia.libp2p.internal.proto.NatProto.HolePunch;
import org.lotusia.libp2p.internal.transport.TcpAddress;

/**
 * DCUtR messages ({@code HolePunch}, specs/relay/DCUtR.md): framing, checks, and the address
 * filter. A message without a type, with an unknown type, with more addresses than allowed, or
 * longer than the limit is a protocol violation; addresses that do not parse or cannot be hole
 * punched (circuits, DNS, non-TCP, private ones unless allowed) are dropped.
 */
final class HolePunchCodec {

  private HolePunchCodec() {}

  static byte[] connect(List<Multiaddr> addrs) {
    HolePunch.Builder b = HolePunch.newBuilder().setType(HolePunch.Type.CONNECT);
    for (Multiaddr a : addrs) {
      b.addObsAddrs(ByteString.copyFrom(a.toBytes()));
    }
    return LengthPrefixed.frame(b.build().toByteArray());
  }

  static byte[] sync() {
    return LengthPrefixed.frame(
        HolePunch.newBuilder().setType(HolePunch.Type.SYNC).build().toByteArray());
  }

  /** Reads one message of type {@code expected}. */
  static CompletableFuture<HolePunch> read(
      Stream s, HolePunch.Type expected, DcutrConfig config) {
    return LengthPrefixed.read(s, config.maxMessageSize(), "dcutr message")
        .thenApply(
            bytes -> {
              HolePunch m;
              try {
                m = HolePunch.parseFrom(bytes);
              } catch (InvalidProtocolBufferException e) {
                throw new ProtocolViolationException("malformed dcutr message: " + e.getMessage());
              }
              if (!m.hasType()) {
                throw new ProtocolViolationException("dcutr message without a (known) type");
              }
              if (m.getType() != expected) {
                throw new ProtocolViolationException(
                    "dcutr: expected " + expected + ", got " + m.getType());
              }
              if (m.getObsAddrsCount() > config.maxAddresses()) {
                throw new ProtocolViolationException(
                    "dcutr message with " + m.getObsAddrsCount() + " addresses, at most "
                        + config.maxAddresses());
              }
              return m;
            });
  }

  /** The hole-punchable addresses of a CONNECT. */
  static List<Multiaddr> addresses(HolePunch m, boolean allowPrivate) {
    List<Multiaddr> out = new ArrayList<>();
    for (ByteString b : m.getObsAddrsList()) {
      Multiaddr a;
      try {
        a = Multiaddr.fromBytes(b.toByteArray()).withoutPeerId();
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (punchable(a, allowPrivate) && !out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /** Whether {@code a} is a TCP address with an IP that hole punching can use. */
  static boolean punchable(Multiaddr a, boolean allowPrivate) {
    if (a.has(MultiaddrProtocol.P2P_CIRCUIT)) {
      return false;
    }
    var tcp = TcpAddress.of(a);
    if (tcp.isEmpty() || tcp.get().port() == 0 || !tcp.get().rest().isEmpty()
        || tcp.get().hostProtocol().startsWith("dns")) {
      return false;
    }
    AddressScope scope = AddressScope.of(a);
    var ip = AddressScope.ip(a);
    return ip.isPresent() && !ip.get().isAnyLocalAddress()
        && (scope == AddressScope.PUBLIC || allowPrivate);
  }
}
