package org.lotusia.libp2p.protocol.pubsub;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.google.protobuf.InvalidProtocolBufferException;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;

/**
 * Jazzer target for the pubsub RPC path: framing, protobuf decoding and the router handling
 * whatever decodes. In a normal test run it replays its seed corpus; with {@code JAZZER_FUZZ=1} it
 * fuzzes. Only {@link ProtocolViolationException} (framing) and {@link
 * InvalidProtocolBufferException} (protobuf) may reject input; the router must accept anything.
 */
class PubsubRpcFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void framedRpcIntoRouter(@NotNull byte[] input) {
    RouterHarness h = new RouterHarness(b -> b.maxRpcSize(64 * 1024));
    RouterHarness.Remote peer = h.peers(1, "t", true).get(0);
    h.router.subscribe("t");
    VarintFramer d = RpcFraming.decoder(64 * 1024);
    try {
      for (byte[] frame : d.feed(input)) {
        try {
          h.router.handleRpc(peer.id(), RPC.parseFrom(frame));
        } catch (InvalidProtocolBufferException expected) {
          // rejected input
        }
      }
    } catch (ProtocolViolationException expected) {
      // rejected input
    }
    h.heartbeat();
  }
}
