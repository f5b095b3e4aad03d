package org.lotusia.libp2p.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.nio.charset.StandardCharsets;
import org.lotusia.libp2p.Multiaddr;

/**
 * Fuzzes the multiaddr decoders (what peers send in identify, Kad, relay and AutoNAT messages): the
 * input as binary multiaddr and, read as UTF-8, as text. The build runs the seeds; its fuzzing pass
 * fuzzes it. Contract: a decoder refuses only with {@link IllegalArgumentException}; whatever
 * decodes survives a round trip through the other form unchanged.
 */
class MultiaddrFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void multiaddrBytesAndText(@NotNull byte[] input) {
    try {
      Multiaddr m = Multiaddr.fromBytes(input);
      if (!Multiaddr.parse(m.toString(), 4 * input.length + 64).equals(m)) {
        throw new IllegalStateException("text round trip changed " + m);
      }
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
    try {
      Multiaddr m = Multiaddr.parse(new String(input, StandardCharsets.UTF_8));
      if (!Multiaddr.fromBytes(m.toBytes()).equals(m)) {
        throw new IllegalStateException("binary round trip changed " + m);
      }
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
  }
}
