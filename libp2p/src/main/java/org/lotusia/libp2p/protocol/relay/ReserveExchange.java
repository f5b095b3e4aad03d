package org.lotusia.libp2p.protocol.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.HopMessage;
import org.lotusia.libp2p.internal.Timeouts;

/**
 * One hop {@code RESERVE} exchange on a direct connection to a relay, and the checks of its answer:
 * status, expiration in the future, the relay addresses (parsed, bounded, each ending in {@code
 * /p2p/<relay>}), the voucher's signature, relay and peer.
 */
final class ReserveExchange {

  private static final int MAX_VOUCHER_BYTES = 4096;

  private ReserveExchange() {}

  static CompletableFuture<Reservation> run(
      Connection relayConn, PeerId self, CircuitRelayConfig config, Instant now) {
    PeerId relay = relayConn.remotePeer();
    return relayConn
        .newStream(List.of(RelayService.HOP))
        .thenCompose(
            stream ->
                Timeouts.orTimeout(
                    stream
                    .write(
                        RelayCodec.frame(
                            HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build()))
                    .thenCompose(v -> RelayCodec.readFrame(stream, config.maxMessageSize())),
                    config.requestTimeout())
                    .whenComplete((b, e) -> end(stream, e)))
        .thenApply(
            bytes -> parse(bytes, relay, relayConn.remoteAddress(), self, config, now));
  }

  private static void end(Stream stream, Throwable error) {
    if (error != null) {
      stream.reset();
    } else {
      stream.close();
    }
  }

  /**
   * Checks a relay's answer to RESERVE. Fails with {@link ProtocolViolationException} for a
   * malformed answer and {@link RelayException} for a refusal.
   *
   * @param seen the address this host reached the relay at
   */
  static Reservation parse(
      byte[] bytes,
      PeerId relay,
      Multiaddr seen,
      PeerId self,
      CircuitRelayConfig config,
      Instant now) {
    HopMessage m;
    try {
      m = HopMessage.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("relay " + relay + " sent a malformed hop message", e);
    }
    if (!m.hasType() || m.getType() != HopMessage.Type.STATUS) {
      throw new ProtocolViolationException("relay " + relay + " answered RESERVE with no STATUS");
    }
    RelayStatus status = RelayCodec.status(m.hasStatus(), m.getStatusValue());
    if (status != RelayStatus.OK) {
      throw new RelayException(
          status == null ? RelayStatus.MALFORMED_MESSAGE : status,
          "relay " + relay + " refused the reservation");
    }
    if (!m.hasReservation()) {
      throw new ProtocolViolationException("relay " + relay + " accepted without a reservation");
    }
    RelayProto.Reservation r = m.getReservation();
    long expire = r.getExpire();
    if (expire <= now.getEpochSecond() || expire > Instant.MAX.getEpochSecond()) {
      throw new ProtocolViolationException(
          "relay " + relay + " sent a reservation expiring at " + Long.toUnsignedString(expire));
    }
    Optional<ReservationVoucher> voucher = Optional.empty();
    if (r.hasVoucher()) {
      ReservationVoucher v;
      try {
        v = ReservationVoucher.open(r.getVoucher().toByteArray(), MAX_VOUCHER_BYTES);
      } catch (IllegalArgumentException e) {
        throw new ProtocolViolationException(
            "relay " + relay + " sent an invalid voucher: " + e.getMessage(), e);
      }
      if (!v.relay().equals(relay) || !v.peer().equals(self)) {
        throw new ProtocolViolationException(
            "voucher from " + relay + " is for relay " + v.relay() + " and peer " + v.peer());
      }
      voucher = Optional.of(v);
    }
    Optional<ConnectionLimits> limit = RelayCodec.fromPb(m.hasLimit(), m.getLimit());
    return new Reservation(
        relay,
        Instant.ofEpochSecond(expire),
        addresses(r.getAddrsList(), relay, seen, config.maxRelayAddresses()),
        limit,
        voucher);
  }

  /**
   * The relay's usable addresses: those it sent that parse, are not circuits and name no other
   * peer, then the address this host reached it at, each ending in {@code /p2p/<relay>}.
   */
  private static List<Multiaddr> addresses(
      List<ByteString> sent, PeerId relay, Multiaddr seenAddress, int max) {
    List<Multiaddr> out = new ArrayList<>();
    for (ByteString b : sent) {
      if (out.size() >= max) {
        break;
      }
      try {
        Multiaddr a = Multiaddr.fromBytes(b.toByteArray());
        if (a.has(MultiaddrProtocol.P2P_CIRCUIT)) {
          continue;
        }
        Multiaddr withId = a.withPeerId(relay);
        if (!out.contains(withId)) {
          out.add(withId);
        }
      } catch (IllegalArgumentException e) {
        // an address we cannot parse or that names another peer is of no use to us
      }
    }
    Multiaddr seen = seenAddress.withPeerId(relay);
    if (out.isEmpty() || (out.size() < max && !out.contains(seen))) {
      if (!out.contains(seen)) {
        out.add(seen);
      }
    }
    return out;
  }
}
