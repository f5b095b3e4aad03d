package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.StreamHandler;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.HopMessage;
import org.lotusia.libp2p.testing.FuzzSeeds;
import org.lotusia.libp2p.testing.ScriptedStream;

/**
 * Fuzzes the relay server's hop protocol with what a client sends on a hop stream. A peer already
 * holds a reservation (its connection opens no stop stream, so a CONNECT to it fails at the
 * target); the first input byte picks whether the requester's connection is relayed (bit 0), the
 * rest is the byte stream. Seeds are RESERVE and CONNECT requests and malformed ones.
 *
 * <p>Contract: the server never throws; it answers one STATUS hop message and closes, or resets;
 * a reservation is granted only over a direct connection, with a voucher the relay signed for the
 * requester; a CONNECT that cannot reach its target leaves no circuit counted.
 */
class RelayServerFuzzTest {

  private static final IdentityPrivateKey RELAY_KEY = Keys.ed25519FromSeed(new byte[32]);
  private static final PeerId RELAY = PeerId.fromPublicKey(RELAY_KEY.publicKey());
  static final PeerId TARGET = peer(1);
  static final PeerId CLIENT = peer(2);
  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

  @FuzzTest(maxDuration = "30s")
  void hopRequestBytes(byte[] input) throws Exception {
    if (input.length > 0) {
      run(input);
    }
  }

  /** The seeds mean something: a RESERVE over a direct connection is granted. */
  @Test
  void theReserveSeedIsGranted() throws Exception {
    HopMessage m = run(FuzzSeeds.read(RelayServerFuzzTest.class, "hopRequestBytes", "reserve"));
    assertThat(m.getStatus()).isEqualTo(RelayProto.Status.OK);
    assertThat(m.getReservation().hasVoucher()).isTrue();
  }

  /** Runs one input; returns the answer, or null when the stream was reset unanswered. */
  static HopMessage run(byte[] input) throws Exception {
    boolean relayed = (input[0] & 1) != 0;
    StreamHandler[] hop = new StreamHandler[1];
    RelayService relay =
        new RelayService(
            host(hop), RelayServiceConfig.DEFAULT, Clock.fixed(NOW, ZoneOffset.UTC));
    ScriptedStream reserve =
        new ScriptedStream(
            reserveRequest(),
            ScriptedStream.connection(TARGET, Multiaddr.parse("/ip4/198.51.100.9/tcp/4001")),
            RelayService.HOP);
    hop[0].handle(reserve);
    assertThat(relay.reservationExpiry(TARGET)).as("the target's reservation").isPresent();

    Multiaddr from =
        relayed
            ? Multiaddr.parse("/ip4/198.51.100.3/tcp/4001/p2p/" + RELAY + "/p2p-circuit")
            : Multiaddr.parse("/ip4/198.51.100.2/tcp/4001");
    ScriptedStream s =
        new ScriptedStream(
            Arrays.copyOfRange(input, 1, input.length),
            ScriptedStream.connection(CLIENT, from),
            RelayService.HOP);
    hop[0].handle(s);

    assertThat(s.wasClosed() || s.wasReset()).as("the request is finished").isTrue();
    List<byte[]> answers = ScriptedStream.lengthPrefixedMessages(s.written());
    assertThat(answers.size()).isLessThanOrEqualTo(1);
    assertThat(relay.circuitCount()).as("no circuit left open").isZero();
    if (answers.isEmpty()) {
      assertThat(s.wasReset()).isTrue();
      return null;
    }
    HopMessage m = HopMessage.parseFrom(answers.get(0));
    assertThat(m.getType()).isEqualTo(HopMessage.Type.STATUS);
    assertThat(m.hasStatus()).isTrue();
    if (m.getStatus() == RelayProto.Status.OK) {
      assertThat(relayed).as("granted over a relayed connection").isFalse();
      assertThat(m.hasReservation()).isTrue();
      ReservationVoucher v =
          ReservationVoucher.open(m.getReservation().getVoucher().toByteArray(), 4096);
      assertThat(v.relay()).isEqualTo(RELAY);
      assertThat(v.peer()).isEqualTo(CLIENT);
      assertThat(v.expiration()).isAfter(NOW);
      assertThat(relay.reservationExpiry(CLIENT)).isPresent();
    } else {
      assertThat(relay.reservationExpiry(CLIENT)).isEmpty();
    }
    return m;
  }

  static byte[] reserveRequest() {
    return RelayCodec.frame(HopMessage.newBuilder().setType(HopMessage.Type.RESERVE).build());
  }

  private static PeerId peer(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    return PeerId.fromPublicKey(Keys.ed25519FromSeed(s).publicKey());
  }

  /** The relay's host: serves hop through {@code hop}; a connection to the target opens no stream. */
  private static Host host(StreamHandler[] hop) {
    InvocationHandler h =
        (proxy, m, args) ->
            switch (m.getName()) {
              case "setStreamHandler" -> {
                hop[0] = (StreamHandler) args[1];
                yield null;
              }
              case "addListener", "removeListener", "removeStreamHandler" -> null;
              case "peerId" -> RELAY;
              case "identity" -> RELAY_KEY;
              case "advertisedAddresses" -> List.of(Multiaddr.parse("/ip4/198.51.100.1/tcp/4001"));
              case "connections" ->
                  args[0].equals(TARGET) ? List.of(deadConnection()) : List.of();
              default -> throw new UnsupportedOperationException(m.getName());
            };
    return (Host)
        Proxy.newProxyInstance(
            RelayServerFuzzTest.class.getClassLoader(), new Class<?>[] {Host.class}, h);
  }

  private static Connection deadConnection() {
    Connection c = ScriptedStream.connection(TARGET, Multiaddr.parse("/ip4/198.51.100.9/tcp/4001"));
    InvocationHandler h =
        (proxy, m, args) ->
            m.getName().equals("newStream")
                ? CompletableFuture.failedFuture(new IOException("target unreachable"))
                : m.invoke(c, args);
    return (Connection)
        Proxy.newProxyInstance(
            RelayServerFuzzTest.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
  }
}
