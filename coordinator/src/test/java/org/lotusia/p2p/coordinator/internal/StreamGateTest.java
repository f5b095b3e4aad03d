package org.lotusia.p2p.coordinator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;

class StreamGateTest {

  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  @Test
  void beyondThirtyTwoStreamsAPeersMessagesWaitInOrderForOneToClose() {
    StreamGate gate = new StreamGate();
    PeerId bob = peer();
    List<Runnable> open = new ArrayList<>();
    List<Integer> started = new ArrayList<>();
    for (int i = 0; i < StreamGate.MAX_OPEN_PER_PEER + 3; i++) {
      int n = i;
      gate.run(bob, 100, done -> {
        started.add(n);
        open.add(done);
      });
    }
    assertThat(started).hasSize(StreamGate.MAX_OPEN_PER_PEER);
    assertThat(gate.waiting()).isEqualTo(3);

    // another peer is not held up
    List<Runnable> other = new ArrayList<>();
    gate.run(peer(), 100, other::add);
    assertThat(other).hasSize(1);

    open.get(0).run();
    open.get(1).run();
    assertThat(started).endsWith(StreamGate.MAX_OPEN_PER_PEER, StreamGate.MAX_OPEN_PER_PEER + 1);
    assertThat(gate.waiting()).isEqualTo(1);
    for (int i = 2; i < open.size(); i++) {
      open.get(i).run();
    }
    assertThat(started).hasSize(StreamGate.MAX_OPEN_PER_PEER + 3);
    for (int i = StreamGate.MAX_OPEN_PER_PEER; i < open.size(); i++) {
      open.get(i).run();
    }
    assertThat(gate.waiting()).isZero();
  }

  @Test
  void waitingMessagesAreBoundedInBytesPerPeer() {
    StreamGate gate = new StreamGate();
    PeerId bob = peer();
    for (int i = 0; i < StreamGate.MAX_OPEN_PER_PEER; i++) {
      gate.run(bob, 1, done -> {});
    }
    gate.run(bob, StreamGate.MAX_WAITING_BYTES, done -> {});
    assertThatThrownBy(() -> gate.run(bob, 1, done -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bytes of messages already wait")
        .hasMessageContaining(bob.toBase58());
  }
}
