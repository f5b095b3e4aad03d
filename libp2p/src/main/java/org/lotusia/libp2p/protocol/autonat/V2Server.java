package org.lotusia.libp2p.protocol.autonat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.framing.LengthPrefixed;
import org.lotusia.libp2p.internal.proto.NatProto;
import org.lotusia.libp2p.internal.proto.NatProto.V2Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AutoNAT v2 server exchange (specs/autonat/autonat-v2.md): reads the {@code DialRequest},
 * picks the first address it is willing to dial, asks for dial data when that address has another
 * IP than the requester's (only with {@link AutoNatServerConfig#dialDataForOtherIps()}), dials it,
 * sends the nonce on {@value AutoNat#V2_DIAL_BACK}, and answers with the {@code DialResponse}.
 */
final class V2Server {

  private static final Logger LOG = LoggerFactory.getLogger(V2Server.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Host host;
  private final AutoNatServerConfig config;
  private final RequestLimiter limiter;
  private final LongAdder refused = new LongAdder();
  private final LongAdder dialBacks = new LongAdder();

  V2Server(Host host, AutoNatServerConfig config, RequestLimiter limiter) {
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
    read(stream)
        .whenComplete(
            (msg, error) -> {
              if (error != null || !msg.hasDialRequest() || !msg.getDialRequest().hasNonce()) {
                LOG.debug("autonat v2 request from {} malformed: {}",
                    stream.connection().remotePeer(), error == null ? "no DialRequest" : error);
                stream.reset();
                return;
              }
              serve(stream, msg.getDialRequest());
            });
  }

  private CompletableFuture<V2Message> read(Stream stream) {
    return LengthPrefixed.read(stream, config.maxMessageSize(), "autonat v2 message")
        .thenApply(
            b -> {
              try {
                return V2Message.parseFrom(b);
              } catch (InvalidProtocolBufferException e) {
                throw new ProtocolViolationException("malformed autonat v2 message: " + e.getMessage());
              }
            });
  }

  private void serve(Stream stream, NatProto.DialRequest request) {
    Connection conn = stream.connection();
    PeerId peer = conn.remotePeer();
    if (request.getAddrsCount() > config.maxAddresses()) {
      LOG.debug("autonat v2 request from {} has {} addresses", peer, request.getAddrsCount());
      stream.reset();
      return;
    }
    if (AutoNatServer.relayed(stream)) {
      refused.increment();
      respond(stream, AutoNat.STATUS_REQUEST_REJECTED, 0, 0);
      return;
    }
    int chosen = -1;
    DialBackTargets.Kind kind = DialBackTargets.Kind.REFUSED;
    List<ByteString> addrs = request.getAddrsList();
    Multiaddr target = null;
    for (int i = 0; i < addrs.size() && chosen < 0; i++) {
      var parsed = DialBackTargets.parse(addrs.get(i).toByteArray());
      if (parsed.isEmpty()) {
        continue;
      }
      DialBackTargets.Kind k = DialBackTargets.classify(
          parsed.get(), peer, conn.remoteAddress(), config.allowPrivateAddresses());
      if (k == DialBackTargets.Kind.SAME_IP
          || (k == DialBackTargets.Kind.OTHER_IP && config.dialDataForOtherIps())) {
        chosen = i;
        kind = k;
        target = parsed.get().withoutPeerId();
      }
    }
    if (chosen < 0) {
      refused.increment();
      respond(stream, AutoNat.STATUS_DIAL_REFUSED, 0, 0);
      return;
    }
    String limit = limiter.acquire(peer);
    if (limit != null) {
      refused.increment();
      LOG.debug("autonat v2 request from {} rejected: {}", peer, limit);
      respond(stream, AutoNat.STATUS_REQUEST_REJECTED, 0, 0);
      return;
    }
    final int index = chosen;
    final Multiaddr dialTarget = target;
    CompletableFuture<Void> paid =
        kind == DialBackTargets.Kind.SAME_IP
            ? CompletableFuture.completedFuture(null)
            : collectDialData(stream, index)
                .orTimeout(config.dialDataTimeout().toMillis(), TimeUnit.MILLISECONDS);
    paid.thenCompose(v -> dialBack(dialTarget, peer, request.getNonce()))
        .whenComplete(
            (dialStatus, e) -> {
              limiter.release();
              if (e != null) {
                LOG.debug("autonat v2 request from {} aborted: {}", peer, e.toString());
                stream.reset();
              } else {
                respond(stream, AutoNat.STATUS_OK, index, dialStatus);
              }
            });
  }

  /** Asks for dial data and reads it until the amount is reached (spec: amplification defence). */
  private CompletableFuture<Void> collectDialData(Stream stream, int index) {
    long amount =
        config.minDialData()
            + (config.maxDialData() > config.minDialData()
                ? RANDOM.nextInt(config.maxDialData() - config.minDialData() + 1)
                : 0);
    V2Message ask =
        V2Message.newBuilder()
            .setDialDataRequest(
                NatProto.DialDataRequest.newBuilder().setAddrIdx(index).setNumBytes(amount))
            .build();
    return stream
        .write(LengthPrefixed.frame(ask.toByteArray()))
        .thenCompose(v -> readDialData(stream, amount, 0));
  }

  private CompletableFuture<Void> readDialData(Stream stream, long amount, long received) {
    if (received >= amount) {
      return CompletableFuture.completedFuture(null);
    }
    return read(stream)
        .thenCompose(
            m -> {
              if (!m.hasDialDataResponse()) {
                throw new ProtocolViolationException("expected DialDataResponse while paying");
              }
              int n = m.getDialDataResponse().getData().size();
              if (n > AutoNat.MAX_DIAL_DATA_CHUNK) {
                throw new ProtocolViolationException(
                    "dial data chunk of " + n + " bytes exceeds " + AutoNat.MAX_DIAL_DATA_CHUNK);
              }
              if (n == 0) {
                throw new ProtocolViolationException("empty dial data chunk");
              }
              return readDialData(stream, amount, received + n);
            });
  }

  /** Dials {@code target} and delivers the nonce; completes with the dial status. */
  private CompletableFuture<Integer> dialBack(Multiaddr target, PeerId peer, long nonce) {
    dialBacks.increment();
    return host.dial(target.withPeerId(peer), new DialOptions(true, config.dialTimeout(), false))
        .handle(
            (c, e) -> {
              if (c == null) {
                LOG.debug("autonat v2 dial-back to {} failed: {}", target, e.toString());
                return CompletableFuture.completedFuture(AutoNat.DIAL_ERROR);
              }
              return sendNonce(c, nonce)
                  .handle((ok, x) -> x == null ? AutoNat.DIAL_OK : AutoNat.DIAL_BACK_ERROR)
                  .whenComplete((s, x) -> c.close());
            })
        .thenCompose(f -> f);
  }

  private CompletableFuture<Void> sendNonce(Connection c, long nonce) {
    byte[] msg = NatProto.DialBack.newBuilder().setNonce(nonce).build().toByteArray();
    return c.newStream(List.of(AutoNat.V2_DIAL_BACK))
        .thenCompose(
            s ->
                s.write(LengthPrefixed.frame(msg))
                    .thenCompose(v -> LengthPrefixed.read(s, 64, "dial-back response"))
                    .thenAccept(
                        b -> {
                          s.close();
                          try {
                            NatProto.DialBackResponse.parseFrom(b);
                          } catch (InvalidProtocolBufferException e) {
                            throw new ProtocolViolationException("malformed DialBackResponse");
                          }
                        }))
        .orTimeout(config.dialTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private static void respond(Stream stream, int status, int index, int dialStatus) {
    NatProto.DialResponse.Builder r = NatProto.DialResponse.newBuilder().setStatus(status);
    if (status == AutoNat.STATUS_OK) {
      r.setAddrIdx(index).setDialStatus(dialStatus);
    }
    byte[] out = V2Message.newBuilder().setDialResponse(r).build().toByteArray();
    stream
        .write(LengthPrefixed.frame(out))
        .thenCompose(v -> stream.closeWrite())
        .whenComplete((v, e) -> stream.close());
  }
}
