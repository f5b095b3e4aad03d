package org.lotusia.libp2p.protocol.autonat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.LengthPrefixed;
import org.lotusia.libp2p.internal.proto.NatProto.V1Message;
import org.lotusia.libp2p.internal.proto.NatProto.V1Message.ResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AutoNAT v1 server exchange (specs/autonat/autonat-v1.md): one {@code DIAL} read, the
 * requester's addresses on its observed IP dialled in order (at most {@link
 * AutoNatServerConfig#maxDialsPerRequest()}), one {@code DIAL_RESPONSE} written.
 */
final class V1Server {

  private static final Logger LOG = LoggerFactory.getLogger(V1Server.class);

  private final Host host;
  private final AutoNatServerConfig config;
  private final RequestLimiter limiter;
  private final LongAdder refused = new LongAdder();
  private final LongAdder dialBacks = new LongAdder();

  V1Server(Host host, AutoNatServerConfig config, RequestLimiter limiter) {
    this.host = host;
    this.config = config;
    this.limiter = limiter;
  }

  long refused() {
    return refused.sum();
  }

  long dialBacks() {
    return dialBacks.sum();
  }

  void handle(Stream stream) {
    Connection conn = stream.connection();
    PeerId peer = conn.remotePeer();
    LengthPrefixed.read(stream, config.maxMessageSize(), "autonat v1 message")
        .whenComplete(
            (bytes, error) -> {
              if (error != null) {
                LOG.debug("autonat v1 request from {} unreadable: {}", peer, error.toString());
                stream.reset();
                return;
              }
              serve(stream, conn, peer, bytes);
            });
  }

  private void serve(Stream stream, Connection conn, PeerId peer, byte[] bytes) {
    V1Message msg;
    try {
      msg = V1Message.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      answer(stream, ResponseStatus.E_BAD_REQUEST, "malformed message", null);
      return;
    }
    if (!msg.hasType() || msg.getType() != V1Message.MessageType.DIAL || !msg.hasDial()
        || !msg.getDial().hasPeer()) {
      answer(stream, ResponseStatus.E_BAD_REQUEST, "expected a DIAL with peer info", null);
      return;
    }
    V1Message.PeerInfo info = msg.getDial().getPeer();
    if (info.hasId() && !info.getId().equals(ByteString.copyFrom(peer.toBytes()))) {
      answer(stream, ResponseStatus.E_BAD_REQUEST, "peer ID is not the requester's", null);
      return;
    }
    if (info.getAddrsCount() > config.maxAddresses()) {
      answer(stream, ResponseStatus.E_BAD_REQUEST,
          "more than " + config.maxAddresses() + " addresses", null);
      return;
    }
    if (AutoNatServer.relayed(stream)) {
      refused.increment();
      answer(stream, ResponseStatus.E_DIAL_REFUSED, "request over a relayed connection", null);
      return;
    }
    List<Multiaddr> targets = new ArrayList<>();
    for (ByteString b : info.getAddrsList()) {
      DialBackTargets.parse(b.toByteArray())
          .filter(a -> DialBackTargets.classify(a, peer, conn.remoteAddress(),
                  config.allowPrivateAddresses()) == DialBackTargets.Kind.SAME_IP)
          .map(Multiaddr::withoutPeerId)
          .filter(a -> !targets.contains(a))
          .ifPresent(targets::add);
    }
    if (targets.isEmpty()) {
      refused.increment();
      answer(stream, ResponseStatus.E_DIAL_REFUSED, "no dialable addresses", null);
      return;
    }
    String limit = limiter.acquire(peer);
    if (limit != null) {
      refused.increment();
      answer(stream, ResponseStatus.E_DIAL_REFUSED, limit, null);
      return;
    }
    List<Multiaddr> tried =
        targets.subList(0, Math.min(targets.size(), config.maxDialsPerRequest()));
    dialInTurn(tried, 0, peer)
        .whenComplete(
            (ok, e) -> {
              limiter.release();
              if (ok != null) {
                answer(stream, ResponseStatus.OK, "dial succeeded", ok);
              } else {
                answer(stream, ResponseStatus.E_DIAL_ERROR, "all dials failed", null);
              }
            });
  }

  /** Dials the targets in order; completes with the first that worked, or null. */
  private CompletableFuture<Multiaddr> dialInTurn(List<Multiaddr> targets, int i, PeerId peer) {
    if (i >= targets.size()) {
      return CompletableFuture.completedFuture(null);
    }
    Multiaddr target = targets.get(i);
    dialBacks.increment();
    return host.dial(target.withPeerId(peer), new DialOptions(true, config.dialTimeout(), false))
        .handle(
            (c, e) -> {
              if (c != null) {
                c.close();
                return CompletableFuture.completedFuture(target);
              }
              LOG.debug("autonat v1 dial-back to {} failed: {}", target, e.toString());
              return dialInTurn(targets, i + 1, peer);
            })
        .thenCompose(f -> f);
  }

  private static void answer(Stream stream, ResponseStatus status, String text, Multiaddr addr) {
    V1Message.DialResponse.Builder r =
        V1Message.DialResponse.newBuilder().setStatus(status).setStatusText(text);
    if (addr != null) {
      r.setAddr(ByteString.copyFrom(addr.toBytes()));
    }
    V1Message reply =
        V1Message.newBuilder()
            .setType(V1Message.MessageType.DIAL_RESPONSE)
            .setDialResponse(r)
            .build();
    stream
        .write(LengthPrefixed.frame(reply.toByteArray()))
        .thenCompose(v -> stream.closeWrite())
        .whenComplete((v, e) -> stream.close());
  }
}
