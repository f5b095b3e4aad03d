package org.lotusia.libp2p.protocol.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.HopMessage;
import org.lotusia.libp2p.internal.relay.CircuitSplice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay side of circuit relay v2 (https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md):
 * serves {@value #HOP} on a host, grants reservations with signed vouchers, and relays {@code
 * CONNECT}s to peers holding a reservation by opening {@value CircuitRelay#STOP} to them and
 * splicing the two streams under the configured limits.
 *
 * <p>A host is a relay only when this service is created on it (lotus-sdk's {@code
 * enableRelayServer}; off by default). Reservations are valid while the reserving peer keeps a
 * direct connection to the relay and until they expire; reservations and connections over an
 * already relayed connection are refused with {@link RelayStatus#PERMISSION_DENIED}, as the spec
 * asks. Every limit of {@link RelayServiceConfig} answers with the spec's status: a full table
 * with {@link RelayStatus#RESERVATION_REFUSED}, too many circuits with {@link
 * RelayStatus#RESOURCE_LIMIT_EXCEEDED}, a target without reservation with {@link
 * RelayStatus#NO_RESERVATION}, an undecodable or oversized message with {@link
 * RelayStatus#MALFORMED_MESSAGE}, a {@code STATUS} request with {@link
 * RelayStatus#UNEXPECTED_MESSAGE}. After a refusal nothing more is read and the stream is reset
 * unless the remote closes it within the hop timeout.
 *
 * <p>Threading: stream handling runs on the host's callback executor and never blocks; the
 * reservation book is a lock-protected I/O-free {@code ReservationTable}; relayed bytes flow on the
 * event loops (see {@link CircuitSplice}). Time for reservations comes from the injected clock.
 */
public final class RelayService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RelayService.class);

  /** The hop protocol ID. */
  public static final String HOP = "/libp2p/circuit/relay/0.2.0/hop";

  private final Host host;
  private final RelayServiceConfig config;
  private final Clock clock;
  private final ReservationTable table;
  private final HostListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LongAdder refused = new LongAdder();
  private final LongAdder circuitsOpened = new LongAdder();

  /** Starts serving hop on {@code host} with the system clock. */
  public RelayService(Host host, RelayServiceConfig config) {
    this(host, config, Clock.systemUTC());
  }

  /**
   * Starts serving hop on {@code host}.
   *
   * @param clock the time source of reservation lifetimes
   */
  public RelayService(Host host, RelayServiceConfig config, Clock clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.table = new ReservationTable(config);
    this.listener =
        new HostListener() {
          @Override
          public void connectionClosed(Connection connection) {
            onConnectionClosed(connection);
          }
        };
    host.addListener(listener);
    // hop is served on limited connections too, so that a request over a relayed connection gets
    // PERMISSION_DENIED instead of a bare "na"
    host.setStreamHandler(HOP, this::onHop, HandlerOptions.LIMITED_OK);
  }

  /** The settings. */
  public RelayServiceConfig config() {
    return config;
  }

  /** The number of live reservations. */
  public int reservationCount() {
    return table.size(clock.instant());
  }

  /** When the reservation of {@code peer} expires, if it holds one. */
  public Optional<Instant> reservationExpiry(PeerId peer) {
    return table.get(peer, clock.instant()).map(ReservationTable.Entry::expiration);
  }

  /** The number of circuits being relayed now. */
  public int circuitCount() {
    return table.circuits();
  }

  /** The number of circuits relayed since start. */
  public long circuitsOpened() {
    return circuitsOpened.sum();
  }

  /** The number of hop requests refused since start, for any reason. */
  public long refusedRequests() {
    return refused.sum();
  }

  /** Stops serving hop; reservations are forgotten, circuits already relayed run to their end. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      host.removeStreamHandler(HOP);
      host.removeListener(listener);
    }
  }

  private void onConnectionClosed(Connection connection) {
    PeerId peer = connection.remotePeer();
    boolean direct = host.connections(peer).stream().anyMatch(c -> !isRelayed(c));
    // "the reservation remains valid ... as long as there is an active connection from the peer"
    if (!direct && table.remove(peer)) {
      LOG.debug("reservation of {} dropped: no connection left", peer);
    }
  }

  static boolean isRelayed(Connection c) {
    return c.limited() || c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT);
  }

  private void onHop(Stream stream) {
    RelayCodec.readFrame(stream, config.maxMessageSize())
        .orTimeout(config.hopTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (bytes, error) -> {
              if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                if (cause instanceof ProtocolViolationException) {
                  refuseAndReset(stream, RelayStatus.MALFORMED_MESSAGE, cause.getMessage());
                } else {
                  stream.reset();
                }
                return;
              }
              HopMessage request;
              try {
                request = HopMessage.parseFrom(bytes);
              } catch (InvalidProtocolBufferException e) {
                refuseAndReset(stream, RelayStatus.MALFORMED_MESSAGE, e.getMessage());
                return;
              }
              if (!request.hasType()) {
                refuseAndReset(stream, RelayStatus.MALFORMED_MESSAGE, "hop message without type");
                return;
              }
              switch (request.getType()) {
                case RESERVE -> reserve(stream);
                case CONNECT -> connect(stream, request);
                default -> refuse(stream, RelayStatus.UNEXPECTED_MESSAGE, "hop " + request.getType());
              }
            });
  }

  private void reserve(Stream stream) {
    Connection conn = stream.connection();
    PeerId peer = conn.remotePeer();
    if (isRelayed(conn)) {
      refuse(stream, RelayStatus.PERMISSION_DENIED, "reservation over a relayed connection");
      return;
    }
    List<Multiaddr> own = advertisedAddresses();
    if (config.requirePublicAddress()
        && own.stream().noneMatch(org.lotusia.libp2p.AddressScope::isPublic)) {
      // rust-libp2p issue 2621: circuit addresses over private relay addresses help nobody
      refuse(stream, RelayStatus.RESERVATION_REFUSED, "no public relay address yet for " + peer);
      return;
    }
    Instant now = clock.instant();
    ReservationTable.Result result = table.reserve(peer, ipOf(conn.remoteAddress()), now);
    if (result.status() != RelayStatus.OK) {
      refuse(stream, result.status(), "reservation of " + peer);
      return;
    }
    RelayProto.Reservation.Builder r =
        RelayProto.Reservation.newBuilder()
            .setExpire(result.expiration().getEpochSecond())
            .setVoucher(
                ByteString.copyFrom(
                    new ReservationVoucher(host.peerId(), peer, result.expiration())
                        .seal(host.identity())
                        .toBytes()));
    for (Multiaddr a : own) {
      r.addAddrs(ByteString.copyFrom(a.toBytes()));
    }
    HopMessage.Builder reply =
        HopMessage.newBuilder()
            .setType(HopMessage.Type.STATUS)
            .setStatus(RelayProto.Status.OK)
            .setReservation(r);
    RelayCodec.toPb(config.circuitLimits()).ifPresent(reply::setLimit);
    LOG.debug("reservation of {} until {}", peer, result.expiration());
    finish(stream, RelayCodec.frame(reply.build()));
  }

  /**
   * This relay's addresses for reservations: its advertised direct addresses (see {@link
   * org.lotusia.libp2p.AddressManager}) with {@code /p2p/<relay>}.
   */
  private List<Multiaddr> advertisedAddresses() {
    List<Multiaddr> out = new ArrayList<>();
    for (Multiaddr a : host.advertisedAddresses()) {
      if (!a.has(MultiaddrProtocol.P2P_CIRCUIT) && out.size() < config.maxAdvertisedAddresses()) {
        out.add(a);
      }
    }
    return out;
  }

  private void connect(Stream stream, HopMessage request) {
    Connection conn = stream.connection();
    PeerId src = conn.remotePeer();
    if (isRelayed(conn)) {
      refuse(stream, RelayStatus.PERMISSION_DENIED, "connect over a relayed connection");
      return;
    }
    PeerId dst;
    try {
      if (!request.hasPeer() || !request.getPeer().hasId()) {
        throw new IllegalArgumentException("no target peer");
      }
      dst = PeerId.fromBytes(request.getPeer().getId().toByteArray());
    } catch (IllegalArgumentException e) {
      refuseAndReset(stream, RelayStatus.MALFORMED_MESSAGE, "connect: " + e.getMessage());
      return;
    }
    if (table.get(dst, clock.instant()).isEmpty()) {
      refuse(stream, RelayStatus.NO_RESERVATION, "connect from " + src + " to " + dst);
      return;
    }
    Optional<Connection> target =
        host.connections(dst).stream().filter(c -> !isRelayed(c) && c.isOpen()).findFirst();
    if (target.isEmpty()) {
      refuse(stream, RelayStatus.NO_RESERVATION, "connect to " + dst + ": not connected");
      return;
    }
    if (!table.openCircuit(src, dst)) {
      refuse(stream, RelayStatus.RESOURCE_LIMIT_EXCEEDED, "circuit from " + src + " to " + dst);
      return;
    }
    new StopRequest(target.get(), src, dst, stream).start();
  }

  /** The stop half of one {@code CONNECT}: asks the target, answers the source, splices. */
  private final class StopRequest {
    private final Connection target;
    private final PeerId src;
    private final PeerId dst;
    private final Stream hop;
    private final AtomicBoolean released = new AtomicBoolean();

    StopRequest(Connection target, PeerId src, PeerId dst, Stream hop) {
      this.target = target;
      this.src = src;
      this.dst = dst;
      this.hop = hop;
    }

    void start() {
      RelayProto.StopMessage.Builder connect =
          RelayProto.StopMessage.newBuilder()
              .setType(RelayProto.StopMessage.Type.CONNECT)
              .setPeer(RelayProto.Peer.newBuilder().setId(ByteString.copyFrom(src.toBytes())));
      RelayCodec.toPb(config.circuitLimits()).ifPresent(connect::setLimit);
      Stream[] stop = new Stream[1];
      target
          .newStream(List.of(CircuitRelay.STOP))
          .thenCompose(
              s -> {
                stop[0] = s;
                return s.write(RelayCodec.frame(connect.build()))
                    .thenCompose(v -> RelayCodec.readFrame(s, config.maxMessageSize()));
              })
          .orTimeout(config.hopTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (bytes, error) -> {
                RelayStatus status = error == null ? stopStatus(bytes) : null;
                if (status != RelayStatus.OK) {
                  LOG.debug(
                      "stop to {} failed: {}", dst, error != null ? error.toString() : status);
                  if (stop[0] != null) {
                    stop[0].reset();
                  }
                  release();
                  refuse(hop, RelayStatus.CONNECTION_FAILED, "stop to " + dst);
                  return;
                }
                answerAndSplice(stop[0]);
              });
    }

    private void answerAndSplice(Stream stop) {
      HopMessage.Builder ok =
          HopMessage.newBuilder().setType(HopMessage.Type.STATUS).setStatus(RelayProto.Status.OK);
      RelayCodec.toPb(config.circuitLimits()).ifPresent(ok::setLimit);
      hop.write(RelayCodec.frame(ok.build()))
          .whenComplete(
              (v, e) -> {
                if (e != null) {
                  stop.reset();
                  release();
                  return;
                }
                circuitsOpened.increment();
                LOG.debug("relaying {} -> {}", src, dst);
                CircuitSplice.splice(hop, stop, config.circuitLimits())
                    .whenComplete(
                        (r, x) -> {
                          release();
                          if (r != null) {
                            LOG.debug(
                                "circuit {} -> {} ended ({}): {} / {} bytes",
                                src,
                                dst,
                                r.reason(),
                                r.sourceToTarget(),
                                r.targetToSource());
                          }
                        });
              });
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        table.closeCircuit(src, dst);
      }
    }
  }

  private static RelayStatus stopStatus(byte[] bytes) {
    try {
      RelayProto.StopMessage m = RelayProto.StopMessage.parseFrom(bytes);
      if (m.getType() != RelayProto.StopMessage.Type.STATUS) {
        return null;
      }
      return RelayCodec.status(m.hasStatus(), m.getStatusValue());
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  /** Answers {@code status} and ends the stream (our side closed after the answer). */
  private void refuse(Stream stream, RelayStatus status, String what) {
    refused.increment();
    LOG.debug("hop refused with {}: {}", status, what);
    finish(stream, RelayCodec.frame(RelayCodec.hopStatus(status)));
  }

  /**
   * Answers {@code status} to input that cannot be trusted any further: nothing more is read (the
   * stream's bounded buffer then stops the sender), and the stream is reset unless the remote
   * closes it within the hop timeout. An immediate reset could destroy the answer in flight.
   */
  private void refuseAndReset(Stream stream, RelayStatus status, String what) {
    refuse(stream, status, what);
  }

  /** Writes the last message, half-closes, and resets if the remote does not close in time. */
  private void finish(Stream stream, byte[] message) {
    stream
        .write(message)
        .thenCompose(v -> stream.closeWrite())
        .thenCompose(
            v ->
                stream
                    .closeFuture()
                    .copy()
                    .orTimeout(config.hopTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                stream.reset();
              }
            });
  }

  /** The IP of a remote address (the whole address when it has none), for the per-IP limit. */
  static String ipOf(Multiaddr address) {
    return address
        .valueOf(MultiaddrProtocol.IP4)
        .or(() -> address.valueOf(MultiaddrProtocol.IP6))
        .orElse(address.toString());
  }
}
