package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.StopMessage;
import org.lotusia.libp2p.testing.FuzzSeeds;
import org.lotusia.libp2p.testing.ScriptedStream;

/**
 * Fuzzes the relay client's stop protocol with what a relay sends on a stop stream (circuit relay
 * v2, "Stop protocol"). The first input byte picks the situation: bit 0 the relay's connection is
 * itself relayed, bit 1 this host holds a reservation on the relay, bit 2 the configuration accepts
 * relays without a reservation, bit 3 the upgrade of the accepted stream fails; the rest is the byte
 * stream. Seeds are CONNECT requests with and without limits, a STATUS, and malformed ones.
 *
 * <p>Contract: the handler never throws; it answers at most one STOP {@code STATUS} message; it
 * answers {@code OK} and upgrades the stream exactly once, as an inbound connection from the peer
 * the request names with the limits it carries, only for a well-formed CONNECT over a direct
 * connection from a relay it may accept; otherwise it never upgrades and the stream ends closed or
 * reset; a failed upgrade resets the stream.
 */
class StopHandlerFuzzTest {

  static final PeerId RELAY = peer(7);
  static final PeerId SOURCE = peer(8);

  @FuzzTest(maxDuration = "30s")
  void stopRequestBytes(byte[] input) {
    if (input.length > 0) {
      run(input);
    }
  }

  /** The seeds mean something: a CONNECT with limits from a reserved relay is accepted as sent. */
  @Test
  void theConnectSeedIsAcceptedWithItsLimits() {
    Upgrades u = run(FuzzSeeds.read(StopHandlerFuzzTest.class, "stopRequestBytes", "connect-with-limit"));
    assertThat(u.calls).hasSize(1);
    assertThat(u.calls.get(0).expected()).isEqualTo(SOURCE);
    assertThat(u.calls.get(0).limits()).isEqualTo(new ConnectionLimits(Duration.ofSeconds(120), 1 << 17));
  }

  /** One call of the upgrade. */
  record Call(Direction direction, PeerId expected, Multiaddr remote, ConnectionLimits limits) {}

  /** The fake upgrade: records each call, then succeeds or fails. */
  static final class Upgrades implements StopHandler.CarrierUpgrade {
    final List<Call> calls = new ArrayList<>();
    final boolean fail;

    Upgrades(boolean fail) {
      this.fail = fail;
    }

    @Override
    public CompletableFuture<Connection> upgrade(
        Stream carrier,
        Direction direction,
        PeerId expected,
        Multiaddr remote,
        Multiaddr local,
        ConnectionLimits limits) {
      calls.add(new Call(direction, expected, remote, limits));
      return fail
          ? CompletableFuture.failedFuture(new IOException("Noise handshake failed"))
          : CompletableFuture.completedFuture(null);
    }
  }

  /** Runs one input, checks the contract, returns the upgrade calls. */
  static Upgrades run(byte[] input) {
    int flags = input[0] & 0xff;
    boolean relayed = (flags & 1) != 0;
    boolean holds = (flags & 2) != 0;
    boolean acceptAny = (flags & 4) != 0;
    Upgrades upgrades = new Upgrades((flags & 8) != 0);
    CircuitRelayConfig config =
        new CircuitRelayConfig(Duration.ofSeconds(30), 4096, 16, acceptAny);
    StopHandler handler = new StopHandler(upgrades, config, p -> holds && p.equals(RELAY));
    Multiaddr from =
        relayed
            ? Multiaddr.parse("/ip4/198.51.100.3/tcp/4001/p2p/" + peer(9) + "/p2p-circuit")
            : Multiaddr.parse("/ip4/198.51.100.7/tcp/4001");
    byte[] script = Arrays.copyOfRange(input, 1, input.length);
    ScriptedStream s =
        new ScriptedStream(script, ScriptedStream.connection(RELAY, from), CircuitRelay.STOP);

    handler.handle(s);

    List<byte[]> answers = ScriptedStream.lengthPrefixedMessages(s.written());
    assertThat(answers.size()).as("answers").isLessThanOrEqualTo(1);
    StopMessage answer = null;
    if (!answers.isEmpty()) {
      try {
        answer = StopMessage.parseFrom(answers.get(0));
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("the answer does not decode", e);
      }
      assertThat(answer.getType()).isEqualTo(StopMessage.Type.STATUS);
      assertThat(answer.hasStatus()).isTrue();
    }
    boolean ok = answer != null && answer.getStatus() == RelayProto.Status.OK;
    if (!ok) {
      assertThat(upgrades.calls).as("no upgrade without OK").isEmpty();
      assertThat(s.wasClosed() || s.wasReset()).as("the request is finished").isTrue();
      return upgrades;
    }
    assertThat(relayed).as("accepted over a relayed connection").isFalse();
    assertThat(holds || acceptAny).as("accepted without a reservation").isTrue();
    assertThat(upgrades.calls).as("upgrades").hasSize(1);
    StopMessage request = firstMessage(script);
    assertThat(request).as("an OK answers a request that decodes").isNotNull();
    assertThat(request.getType()).isEqualTo(StopMessage.Type.CONNECT);
    Call call = upgrades.calls.get(0);
    assertThat(call.direction()).isEqualTo(Direction.INBOUND);
    assertThat(call.expected().toBytes()).isEqualTo(request.getPeer().getId().toByteArray());
    assertThat(call.remote().has(MultiaddrProtocol.P2P_CIRCUIT)).isTrue();
    assertThat(call.remote().toString()).startsWith(from + "/p2p/" + RELAY);
    assertThat(java.util.Optional.ofNullable(call.limits()))
        .isEqualTo(RelayCodec.fromPb(request.hasLimit(), request.getLimit()));
    if (upgrades.fail) {
      assertThat(s.wasReset()).as("a failed upgrade resets the stream").isTrue();
    }
    return upgrades;
  }

  /** The first length-prefixed message of {@code script} as a stop message, or null. */
  private static StopMessage firstMessage(byte[] script) {
    int at = 0;
    long len = 0;
    for (int shift = 0; ; shift += 7) {
      if (at >= script.length || shift > 63) {
        return null;
      }
      int b = script[at++] & 0xff;
      len |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (len < 0 || len > script.length - at) {
      return null;
    }
    try {
      return StopMessage.parseFrom(Arrays.copyOfRange(script, at, at + (int) len));
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  static PeerId peer(int seed) {
    byte[] s = new byte[32];
    s[0] = (byte) seed;
    return PeerId.fromPublicKey(Keys.ed25519FromSeed(s).publicKey());
  }
}
