package org.lotusia.libp2p.protocol.relay;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.host.RelaySupport;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.HopMessage;
import org.lotusia.libp2p.internal.Timeouts;

/**
 * Outbound relayed connections: hop {@code CONNECT} through the relay named in a circuit address,
 * then the usual upgrade (Noise with the target as the expected peer, then Yamux) over the hop
 * stream, so the target is authenticated end to end and the relay sees only ciphertext.
 */
final class CircuitDialer {

  /**
   * A parsed circuit address.
   *
   * @param relayAddress the part before {@code /p2p-circuit}, ending in {@code /p2p/<relay>}
   * @param relay the relay
   * @param target the peer to reach
   */
  record Circuit(Multiaddr relayAddress, PeerId relay, PeerId target) {

    /**
     * Parses {@code [<relay transport address>]/p2p/<relay>/p2p-circuit/p2p/<target>}.
     *
     * @throws IllegalArgumentException when the address does not have exactly that shape
     */
    static Circuit parse(Multiaddr address) {
      List<Multiaddr.Component> cs = address.components();
      int at = -1;
      for (int i = 0; i < cs.size(); i++) {
        if (cs.get(i).protocol() == MultiaddrProtocol.P2P_CIRCUIT) {
          if (at >= 0) {
            throw new IllegalArgumentException("nested circuit addresses are not supported: " + address);
          }
          at = i;
        }
      }
      if (at < 1
          || cs.get(at - 1).protocol() != MultiaddrProtocol.P2P
          || at + 2 != cs.size()
          || cs.get(at + 1).protocol() != MultiaddrProtocol.P2P) {
        throw new IllegalArgumentException(
            "not a circuit address of the form [<relay address>]/p2p/<relay>/p2p-circuit/p2p/<target>: "
                + address);
      }
      Multiaddr relayAddress = Multiaddr.of(cs.subList(0, at));
      return new Circuit(
          relayAddress,
          PeerId.parse(cs.get(at - 1).value()),
          PeerId.parse(cs.get(at + 1).value()));
    }

    /** Whether the relay part has a transport address, not only {@code /p2p/<relay>}. */
    boolean hasTransport() {
      return relayAddress.components().size() > 1;
    }
  }

  private final Host host;
  private final RelaySupport support;
  private final CircuitRelayConfig config;

  CircuitDialer(Host host, RelaySupport support, CircuitRelayConfig config) {
    this.host = host;
    this.support = support;
    this.config = config;
  }

  CompletableFuture<Connection> dial(Multiaddr address, DialOptions options) {
    Circuit c;
    try {
      c = Circuit.parse(address);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(e);
    }
    if (c.target().equals(host.peerId()) || c.relay().equals(c.target())) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException("refusing to dial a circuit to itself: " + address));
    }
    CompletableFuture<Stream> hop =
        c.hasTransport()
            ? host.dial(c.relayAddress()).thenCompose(this::openHop)
            : host.newStream(c.relay(), List.of(RelayService.HOP));
    return hop.thenCompose(stream -> connect(stream, c));
  }

  private CompletableFuture<Stream> openHop(Connection relayConn) {
    if (RelayService.isRelayed(relayConn)) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "the connection to relay " + relayConn.remotePeer() + " is itself relayed"));
    }
    return relayConn.newStream(List.of(RelayService.HOP));
  }

  private CompletableFuture<Connection> connect(Stream stream, Circuit c) {
    HopMessage request =
        HopMessage.newBuilder()
            .setType(HopMessage.Type.CONNECT)
            .setPeer(RelayProto.Peer.newBuilder().setId(ByteString.copyFrom(c.target().toBytes())))
            .build();
    return Timeouts.orTimeout(
            stream
                .write(RelayCodec.frame(request))
                .thenCompose(v -> RelayCodec.readFrame(stream, config.maxMessageSize())),
            config.requestTimeout())
        .thenCompose(
            bytes -> {
              ConnectionLimits limits = answer(bytes, c);
              Multiaddr remote =
                  c.relayAddress()
                      .encapsulate(Multiaddr.Component.of(MultiaddrProtocol.P2P_CIRCUIT));
              return support.upgradeCarrier(
                  stream,
                  Direction.OUTBOUND,
                  c.target(),
                  remote,
                  stream.connection().localAddress(),
                  limits);
            })
        .whenComplete(
            (conn, e) -> {
              if (e != null) {
                stream.reset();
              }
            });
  }

  /** The limits of an accepted {@code CONNECT}; throws for a refusal or a malformed answer. */
  static ConnectionLimits answer(byte[] bytes, Circuit c) {
    HopMessage m;
    try {
      m = HopMessage.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("relay " + c.relay() + " sent a malformed answer", e);
    }
    RelayStatus status = RelayCodec.status(m.hasStatus(), m.getStatusValue());
    if (m.getType() != HopMessage.Type.STATUS || status == null) {
      throw new ProtocolViolationException("relay " + c.relay() + " answered CONNECT without status");
    }
    if (status != RelayStatus.OK) {
      throw new RelayException(
          status, "relay " + c.relay() + " refused to connect to " + c.target());
    }
    return RelayCodec.fromPb(m.hasLimit(), m.getLimit()).orElse(null);
  }
}
