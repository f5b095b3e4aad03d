package org.lotusia.libp2p.protocol.relay;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.host.RelaySupport;
import org.lotusia.libp2p.internal.proto.RelayProto.StopMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.lotusia.libp2p.internal.Timeouts;

/**
 * Serves {@value CircuitRelay#STOP}: a relay announces a peer that wants to connect through it. A
 * request over a direct connection from a relay on which this host holds a reservation is accepted,
 * and the stop stream is upgraded as an inbound connection from the announced peer (which must
 * then prove that identity in the Noise handshake). Everything else is answered with the spec's
 * status: an undecodable or oversized message or one without peer with {@link
 * RelayStatus#MALFORMED_MESSAGE}, a {@code STATUS} with {@link RelayStatus#UNEXPECTED_MESSAGE}, a
 * relay without reservation or a relayed relay connection with {@link
 * RelayStatus#PERMISSION_DENIED}.
 */
final class StopHandler {

  private static final Logger LOG = LoggerFactory.getLogger(StopHandler.class);

  /**
   * Turns an accepted stop stream into an inbound relayed connection: {@link
   * RelaySupport#upgradeCarrier} on a host, a fake in tests that drive the handler alone.
   */
  @FunctionalInterface
  interface CarrierUpgrade {
    CompletableFuture<Connection> upgrade(
        Stream carrier,
        Direction direction,
        PeerId expected,
        Multiaddr remote,
        Multiaddr local,
        ConnectionLimits limits);
  }

  private final CarrierUpgrade upgrade;
  private final CircuitRelayConfig config;
  private final Predicate<PeerId> holdsReservation;

  StopHandler(
      CarrierUpgrade upgrade, CircuitRelayConfig config, Predicate<PeerId> holdsReservation) {
    this.upgrade = upgrade;
    this.config = config;
    this.holdsReservation = holdsReservation;
  }

  void handle(Stream stream) {
    Timeouts.orTimeout(RelayCodec.readFrame(stream, config.maxMessageSize()), config.requestTimeout())
        .whenComplete(
            (bytes, error) -> {
              if (error != null) {
                Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                if (cause instanceof ProtocolViolationException) {
                  answerAndReset(stream, RelayStatus.MALFORMED_MESSAGE);
                } else {
                  stream.reset();
                }
                return;
              }
              onRequest(stream, bytes);
            });
  }

  private void onRequest(Stream stream, byte[] bytes) {
    Connection relayConn = stream.connection();
    PeerId relay = relayConn.remotePeer();
    StopMessage m;
    try {
      m = StopMessage.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      answerAndReset(stream, RelayStatus.MALFORMED_MESSAGE);
      return;
    }
    if (!m.hasType()) {
      answerAndReset(stream, RelayStatus.MALFORMED_MESSAGE);
      return;
    }
    if (m.getType() != StopMessage.Type.CONNECT) {
      answer(stream, RelayStatus.UNEXPECTED_MESSAGE);
      return;
    }
    PeerId from;
    try {
      if (!m.hasPeer() || !m.getPeer().hasId()) {
        throw new IllegalArgumentException("no peer");
      }
      from = PeerId.fromBytes(m.getPeer().getId().toByteArray());
    } catch (IllegalArgumentException e) {
      answerAndReset(stream, RelayStatus.MALFORMED_MESSAGE);
      return;
    }
    if (RelayService.isRelayed(relayConn)
        || (!config.acceptWithoutReservation() && !holdsReservation.test(relay))) {
      LOG.debug("stop from {} for {} refused: no reservation or relayed", relay, from);
      answer(stream, RelayStatus.PERMISSION_DENIED);
      return;
    }
    ConnectionLimits limits = RelayCodec.fromPb(m.hasLimit(), m.getLimit()).orElse(null);
    Multiaddr remote =
        relayConn
            .remoteAddress()
            .withPeerId(relay)
            .encapsulate(Multiaddr.Component.of(MultiaddrProtocol.P2P_CIRCUIT));
    stream
        .write(RelayCodec.frame(RelayCodec.stopStatus(RelayStatus.OK)))
        .thenCompose(
            v ->
                upgrade.upgrade(
                    stream, Direction.INBOUND, from, remote, relayConn.localAddress(), limits))
        .whenComplete(
            (conn, e) -> {
              if (e != null) {
                LOG.debug("relayed connection from {} via {} failed: {}", from, relay, e.toString());
                stream.reset();
              }
            });
  }

  private void answer(Stream stream, RelayStatus status) {
    stream
        .write(RelayCodec.frame(RelayCodec.stopStatus(status)))
        .thenCompose(v -> stream.closeWrite())
        .thenCompose(
            v ->
                Timeouts.orTimeout(stream.closeFuture().copy(), config.requestTimeout()))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                stream.reset();
              }
            });
  }

  /**
   * Answers {@code status} to input that cannot be trusted: nothing more is read, and the stream is
   * reset unless the remote closes it within the request timeout (see {@link #answer}); resetting
   * at once could destroy the answer in flight.
   */
  private void answerAndReset(Stream stream, RelayStatus status) {
    answer(stream, status);
  }
}
