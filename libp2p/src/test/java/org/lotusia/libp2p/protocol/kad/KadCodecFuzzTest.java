package org.lotusia.libp2p.protocol.kad;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import java.util.List;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.DhtProtos.Message;

/**
 * Fuzzes the kad-dht frame decoder and message parser: any input either decodes or fails with
 * {@link ProtocolViolationException}, never with another exception. Runs its seeds as a regression
 * test; set {@code JAZZER_FUZZ=1} to fuzz.
 */
class KadCodecFuzzTest {
  private static final byte[] VALID =
      KadCodec.frame(
          Message.newBuilder()
              .setType(Message.MessageType.GET_PROVIDERS)
              .setKey(ByteString.copyFromUtf8("/lotus/key"))
              .addCloserPeers(
                  KadCodec.toPb(
                      new KadPeer(
                          KadTestPeers.random(), List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5"))),
                      true))
              .setRecord(
                  KadCodec.record(new byte[] {1}, new byte[] {2}, java.util.Optional.empty()))
              .build());

  @FuzzTest(maxDuration = "30s")
  void decodeNeverThrowsAnythingButProtocolViolation(byte[] data) {
    check(data);
    if (data.length > 0) {
      byte[] mutated = VALID.clone();
      for (int i = 0; i < data.length; i++) {
        mutated[(data[i] & 0xff) % mutated.length] ^= (byte) (i + 1);
      }
      check(mutated);
    }
  }

  private static void check(byte[] data) {
    try {
      for (byte[] frame : new VarintFramer(4096, "kad message").feed(data)) {
        Message m = KadCodec.parse(frame, 100);
        KadCodec.peers(m.getCloserPeersList(), 32);
        KadCodec.peers(m.getProviderPeersList(), 32);
        KadCodec.parseTime(m.getRecord().getTimeReceived());
      }
    } catch (ProtocolViolationException expected) {
      // the only accepted failure
    }
  }
}
