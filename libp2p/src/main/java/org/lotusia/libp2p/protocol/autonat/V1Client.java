package org.lotusia.libp2p.protocol.autonat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.AddressManager.Verdict;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.framing.LengthPrefixed;
import org.lotusia.libp2p.internal.proto.NatProto.V1Message;

/** The AutoNAT v1 client exchange: one {@code DIAL} with the candidate addresses, one answer. */
final class V1Client {

  private static final int MAX_MESSAGE = 8 * 1024;

  private V1Client() {}

  /** Asks the server on {@code conn} to dial {@code self} at {@code addrs}. */
  static CompletableFuture<ProbeResult> check(Connection conn, PeerId self, List<Multiaddr> addrs) {
    PeerId server = conn.remotePeer();
    V1Message.PeerInfo.Builder info =
        V1Message.PeerInfo.newBuilder().setId(ByteString.copyFrom(self.toBytes()));
    for (Multiaddr a : addrs) {
      info.addAddrs(ByteString.copyFrom(a.toBytes()));
    }
    byte[] request =
        V1Message.newBuilder()
            .setType(V1Message.MessageType.DIAL)
            .setDial(V1Message.Dial.newBuilder().setPeer(info))
            .build()
            .toByteArray();
    return conn.newStream(List.of(AutoNat.V1))
        .thenCompose(
            s ->
                s.write(LengthPrefixed.frame(request))
                    .thenCompose(v -> LengthPrefixed.read(s, MAX_MESSAGE, "autonat v1 message"))
                    .whenComplete((b, e) -> s.close()))
        .thenApply(b -> interpret(b, server, addrs));
  }

  private static ProbeResult interpret(byte[] bytes, PeerId server, List<Multiaddr> addrs) {
    V1Message msg;
    try {
      msg = V1Message.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed autonat v1 response: " + e.getMessage());
    }
    if (msg.getType() != V1Message.MessageType.DIAL_RESPONSE || !msg.hasDialResponse()
        || !msg.getDialResponse().hasStatus()) {
      throw new ProtocolViolationException("expected a DIAL_RESPONSE with a status");
    }
    V1Message.DialResponse r = msg.getDialResponse();
    String text = r.getStatusText();
    switch (r.getStatus()) {
      case OK -> {
        List<Multiaddr> about = addrs;
        if (r.hasAddr()) {
          var reported = DialBackTargets.parse(r.getAddr().toByteArray()).map(Multiaddr::withoutPeerId);
          if (reported.isPresent() && addrs.contains(reported.get())) {
            about = List.of(reported.get());
          }
        }
        return new ProbeResult(server, 1, about, Verdict.REACHABLE, "OK " + text);
      }
      case E_DIAL_ERROR -> {
        return new ProbeResult(server, 1, addrs, Verdict.UNREACHABLE, "E_DIAL_ERROR " + text);
      }
      default -> {
        return ProbeResult.inconclusive(server, 1, r.getStatus() + " " + text);
      }
    }
  }
}
