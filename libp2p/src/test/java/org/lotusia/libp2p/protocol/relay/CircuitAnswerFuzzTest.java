package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ConnectionLimits;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.proto.RelayProto;
import org.lotusia.libp2p.internal.proto.RelayProto.HopMessage;
import org.lotusia.libp2p.testing.FuzzSeeds;

/**
 * Fuzzes what a client dialing through a relay decodes from it: the relay's answer to a hop {@code
 * CONNECT} (circuit relay v2, "Hop protocol"). Seeds are {@code OK} answers with and without
 * limits, a refusal, an unknown status, a message of the wrong type and garbage.
 *
 * <p>Contract: the answer yields the circuit's limits (none, or exactly those sent, a data limit
 * above 2^63 meaning none) only when it is a {@code STATUS} of {@code OK}; a refusal is a {@link
 * RelayException} with the relay's status; anything else a {@link ProtocolViolationException} that
 * names the relay; nothing else is thrown.
 */
class CircuitAnswerFuzzTest {

  private static final PeerId RELAY = StopHandlerFuzzTest.peer(3);
  private static final CircuitDialer.Circuit CIRCUIT =
      new CircuitDialer.Circuit(
          Multiaddr.parse("/ip4/198.51.100.4/tcp/4001/p2p/" + RELAY), RELAY, StopHandlerFuzzTest.peer(4));

  @FuzzTest(maxDuration = "30s")
  void relayAnswer(byte[] input) {
    check(input);
  }

  /** The seeds mean something: an OK answer with limits yields those limits. */
  @Test
  void theOkSeedYieldsItsLimits() {
    ConnectionLimits l = check(FuzzSeeds.read(CircuitAnswerFuzzTest.class, "relayAnswer", "ok-with-limit"));
    assertThat(l).isEqualTo(new ConnectionLimits(Duration.ofSeconds(120), 131072));
  }

  /** Checks one answer; returns the limits it yields, or null. */
  static ConnectionLimits check(byte[] input) {
    HopMessage m;
    try {
      m = HopMessage.parseFrom(input);
    } catch (InvalidProtocolBufferException e) {
      m = null;
    }
    boolean ok =
        m != null
            && m.getType() == HopMessage.Type.STATUS
            && m.hasStatus()
            && m.getStatus() == RelayProto.Status.OK;
    ConnectionLimits limits;
    try {
      limits = CircuitDialer.answer(input, CIRCUIT);
    } catch (RelayException e) {
      assertThat(m).isNotNull();
      assertThat(m.getType()).isEqualTo(HopMessage.Type.STATUS);
      assertThat(e.status()).isNotEqualTo(RelayStatus.OK);
      assertThat(e.status().code()).isEqualTo(m.getStatusValue());
      return null;
    } catch (ProtocolViolationException e) {
      assertThat(ok).as("an OK answer refused: %s", e.getMessage()).isFalse();
      assertThat(e.getMessage()).contains(RELAY.toString());
      return null;
    }
    assertThat(ok).as("accepted only a STATUS of OK").isTrue();
    if (!m.hasLimit() || (m.getLimit().getDuration() == 0 && m.getLimit().getData() == 0)) {
      assertThat(limits).isNull();
    } else {
      assertThat(limits).isNotNull();
      assertThat(limits.duration()).isEqualTo(Duration.ofSeconds(Integer.toUnsignedLong(m.getLimit().getDuration())));
      long data = m.getLimit().getData();
      assertThat(limits.bytes()).isEqualTo(data < 0 ? Long.MAX_VALUE : data);
    }
    return limits;
  }
}
