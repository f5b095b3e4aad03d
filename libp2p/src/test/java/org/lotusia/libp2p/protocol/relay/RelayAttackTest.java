package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.protocol.relay.RelayNet.failure;
import static org.lotusia.libp2p.protocol.relay.RelayNet.join;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.DialOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.HopMessage;
import org.lotusia.libp2p.internal.proto.RelayProto.StopMessage;
import org.lotusia.libp2p.multiformats.Varint;

/**
 * Every relay limit and every malformed input, each answered with the spec's status: reservation
 * floods (total, per IP, one peer repeating), CONNECT without reservation, too many circuits,
 * malformed, typeless, unexpected and oversized hop and stop messages, requests over relayed
 * connections. The relay keeps serving afterwards.
 */
class RelayAttackTest {

  private final RelayNet net = new RelayNet();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  /** Opens a raw stream of {@code protocol}, also on limited connections. */
  private static CompletableFuture<Stream> raw(Host from, Connection conn, String protocol) {
    return from.newStream(
        conn,
        new ProtocolBinding<Stream>() {
          @Override
          public List<String> protocolIds() {
            return List.of(protocol);
          }

          @Override
          public boolean runOnLimitedConnection() {
            return true;
          }

          @Override
          public CompletableFuture<Stream> initiate(Stream stream) {
            return CompletableFuture.completedFuture(stream);
          }

          @Override
          public CompletableFuture<Stream> respond(Stream stream) {
            return CompletableFuture.completedFuture(stream);
          }
        });
  }

  private static byte[] framed(byte[] body) {
    byte[] p = Varint.encode(body.length);
    byte[] out = new byte[p.length + body.length];
    System.arraycopy(p, 0, out, 0, p.length);
    System.arraycopy(body, 0, out, p.length, body.length);
    return out;
  }

  /** Sends {@code bytes} on a new hop stream and reads the relay's one answer. */
  private static HopMessage hop(Host from, Connection conn, byte[] bytes) throws Exception {
    Stream s = join(raw(from, conn, RelayService.HOP));
    join(s.write(bytes));
    return HopMessage.parseFrom(join(RelayCodec.readFrame(s, 4096)));
  }

  private static StopMessage stop(Host from, Connection conn, byte[] bytes) throws Exception {
    Stream s = join(raw(from, conn, CircuitRelay.STOP));
    join(s.write(bytes));
    return StopMessage.parseFrom(join(RelayCodec.readFrame(s, 4096)));
  }

  private RelayService relay(Host r, RelayServiceConfig.Builder config) {
    return net.relay(r, config.build(), Clock.systemUTC());
  }

  @Test
  void reservationFloodBeyondTheTotalIsRefused() {
    Host r = net.host();
    RelayService service = relay(r, RelayServiceConfig.builder().maxReservations(2));
    for (int i = 0; i < 2; i++) {
      join(net.client(net.host(), Clock.systemUTC()).reserve(r.listenAddresses().get(0)));
    }
    CircuitRelay third = net.client(net.host(), Clock.systemUTC());
    Throwable t = failure(third.reserve(r.listenAddresses().get(0)));
    assertThat(t).isInstanceOf(RelayException.class);
    assertThat(((RelayException) t).status()).isEqualTo(RelayStatus.RESERVATION_REFUSED);
    assertThat(service.reservationCount()).isEqualTo(2);
    assertThat(third.reservations()).isEmpty();
  }

  @Test
  void reservationFloodFromOneIpIsRefused() {
    Host r = net.host();
    relay(r, RelayServiceConfig.builder().maxReservationsPerIp(3));
    for (int i = 0; i < 3; i++) {
      join(net.client(net.host(), Clock.systemUTC()).reserve(r.listenAddresses().get(0)));
    }
    Throwable t =
        failure(net.client(net.host(), Clock.systemUTC()).reserve(r.listenAddresses().get(0)));
    assertThat(((RelayException) t).status()).isEqualTo(RelayStatus.RESERVATION_REFUSED);
  }

  @Test
  void onePeerRepeatingReserveHoldsOneSlot() {
    Host r = net.host();
    RelayService service = relay(r, RelayServiceConfig.builder());
    CircuitRelay c = net.client(net.host(), Clock.systemUTC());
    for (int i = 0; i < 20; i++) {
      join(c.reserve(r.listenAddresses().get(0)));
    }
    assertThat(service.reservationCount()).isEqualTo(1);
    assertThat(c.reservations()).hasSize(1);
  }

  @Test
  void connectToAPeerWithoutReservationIsRefused() {
    Host r = net.host();
    relay(r, RelayServiceConfig.builder());
    Host a = net.host();
    Host b = net.host();
    net.client(b, Clock.systemUTC());
    join(b.dial(r.listenAddresses().get(0)));
    var circuit = r.listenAddresses().get(0).toString() + "/p2p-circuit/p2p/" + a.peerId();
    Throwable t = failure(b.dial(org.lotusia.libp2p.Multiaddr.parse(circuit)));
    assertThat(t).isInstanceOf(RelayException.class);
    assertThat(((RelayException) t).status()).isEqualTo(RelayStatus.NO_RESERVATION);
  }

  @Test
  void circuitsBeyondThePerPeerLimitAreRefused() {
    Host r = net.host();
    RelayService service = relay(r, RelayServiceConfig.builder().maxCircuitsPerPeer(1));
    Host a = net.host();
    Host b = net.host();
    CircuitRelay ca = net.client(a, Clock.systemUTC());
    net.client(b, Clock.systemUTC());
    join(ca.reserve(r.listenAddresses().get(0)));
    var circuit = ca.circuitAddresses().get(0);
    Connection first = join(b.dial(circuit));
    Throwable t = failure(b.dial(circuit, DialOptions.FORCE));
    assertThat(((RelayException) t).status()).isEqualTo(RelayStatus.RESOURCE_LIMIT_EXCEEDED);
    join(first.close());
    await().atMost(Duration.ofSeconds(20)).until(() -> service.circuitCount() == 0);
    assertThat(join(b.dial(circuit, DialOptions.FORCE)).isOpen()).isTrue();
  }

  @Test
  void malformedTypelessUnexpectedAndOversizedHopMessagesAreAnsweredWithTheirStatus()
      throws Exception {
    Host r = net.host();
    RelayService service = relay(r, RelayServiceConfig.builder().maxMessageSize(512));
    Host x = net.host();
    Connection conn = join(x.dial(r.listenAddresses().get(0)));

    assertThat(hop(x, conn, framed(new byte[] {(byte) 0xff, 0x01})).getStatus())
        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
    byte[] typeless =
        HopMessage.newBuilder().setStatus(RelayProto.Status.OK).build().toByteArray();
    assertThat(hop(x, conn, framed(typeless)).getStatus())
        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
    byte[] status = RelayCodec.hopStatus(RelayStatus.OK).toByteArray();
    assertThat(hop(x, conn, framed(status)).getStatus())
        .isEqualTo(RelayProto.Status.UNEXPECTED_MESSAGE);
    byte[] connectWithoutPeer =
        HopMessage.newBuilder().setType(HopMessage.Type.CONNECT).build().toByteArray();
    assertThat(hop(x, conn, framed(connectWithoutPeer)).getStatus())
        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
    byte[] badPeer =
        HopMessage.newBuilder()
            .setType(HopMessage.Type.CONNECT)
            .setPeer(RelayProto.Peer.newBuilder().setId(ByteString.copyFromUtf8("not a peer")))
            .build()
            .toByteArray();
    assertThat(hop(x, conn, framed(badPeer)).getStatus())
        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);

    // an announced length beyond the limit: refused before any body is buffered; the relay reads
    // nothing more, whatever the sender goes on writing
    Stream s = join(raw(x, conn, RelayService.HOP));
    join(s.write(Varint.encode(1_000_000)));
    HopMessage answer = HopMessage.parseFrom(join(RelayCodec.readFrame(s, 4096)));
    assertThat(answer.getStatus()).isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
    assertThat(join(s.readAll(16))).as("the relay's side ended after the answer").isEmpty();
    assertThat(service.refusedRequests()).isEqualTo(6);

    // the relay still serves
    assertThat(join(net.client(net.host(), Clock.systemUTC()).reserve(r.listenAddresses().get(0))))
        .isNotNull();
    assertThat(conn.isOpen()).isTrue();
  }

  @Test
  void stopRequestsAreCheckedByTheTarget() throws Exception {
    Host target = net.host();
    net.client(target, Clock.systemUTC());
    Host x = net.host();
    Connection conn = join(x.dial(target.listenAddresses().get(0)));
    byte[] connect =
        StopMessage.newBuilder()
            .setType(StopMessage.Type.CONNECT)
            .setPeer(RelayProto.Peer.newBuilder().setId(ByteString.copyFrom(x.peerId().toBytes())))
            .build()
            .toByteArray();
    // x is no relay this host reserved on
    assertThat(stop(x, conn, framed(connect)).getStatus())
        .isEqualTo(RelayProto.Status.PERMISSION_DENIED);
    assertThat(stop(x, conn, framed(new byte[] {0x08})).getStatus())
        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
    byte[] status = RelayCodec.stopStatus(RelayStatus.OK).toByteArray();
    assertThat(stop(x, conn, framed(status)).getStatus())
        .isEqualTo(RelayProto.Status.UNEXPECTED_MESSAGE);
    byte[] noPeer = StopMessage.newBuilder().setType(StopMessage.Type.CONNECT).build().toByteArray();
    assertThat(stop(x, conn, framed(noPeer)).getStatus())
        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
    Stream s = join(raw(x, conn, CircuitRelay.STOP));
    join(s.write(Varint.encode(100_000)));
    assertThat(StopMessage.parseFrom(join(RelayCodec.readFrame(s, 4096))).getStatus())
        .isEqualTo(RelayProto.Status.MALFORMED_MESSAGE);
    assertThat(join(s.readAll(16))).as("the target's side ended after the answer").isEmpty();
    assertThat(target.connections(x.peerId())).hasSize(1);
  }

  @Test
  void reservationAndConnectOverARelayedConnectionAreDenied() throws Exception {
    Host r1 = net.host();
    relay(r1, RelayServiceConfig.builder());
    Host r2 = net.host();
    relay(r2, RelayServiceConfig.builder());
    join(net.client(r2, Clock.systemUTC()).reserve(r1.listenAddresses().get(0)));
    Host b = net.host();
    CircuitRelay cb = net.client(b, Clock.systemUTC());
    var viaR1 =
        org.lotusia.libp2p.Multiaddr.parse(
            r1.listenAddresses().get(0) + "/p2p-circuit/p2p/" + r2.peerId());
    Connection relayed = join(b.dial(viaR1));
    assertThat(relayed.limited()).isTrue();
    byte[] reserve = HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build().toByteArray();
    assertThat(hop(b, relayed, framed(reserve)).getStatus())
        .isEqualTo(RelayProto.Status.PERMISSION_DENIED);
    byte[] connect =
        HopMessage.newBuilder()
            .setType(HopMessage.Type.CONNECT)
            .setPeer(RelayProto.Peer.newBuilder().setId(ByteString.copyFrom(r1.peerId().toBytes())))
            .build()
            .toByteArray();
    assertThat(hop(b, relayed, framed(connect)).getStatus())
        .isEqualTo(RelayProto.Status.PERMISSION_DENIED);
    // and the client library never reserves over a relayed connection
    assertThat(failure(cb.reserve(r2.peerId()))).isInstanceOf(IllegalArgumentException.class);
  }
}
