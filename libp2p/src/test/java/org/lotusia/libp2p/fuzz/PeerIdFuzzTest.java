package org.lotusia.libp2p.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;

/**
 * Fuzzes the peer ID and key decoders (identify, Noise payloads, Kad and relay messages carry
 * them). The build runs the seeds; its fuzzing pass fuzzes it. Contract: a decoder refuses only
 * with {@link IllegalArgumentException}; a decoded peer ID survives its base58 and CID text forms.
 */
class PeerIdFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void peerIdAndKeys(@NotNull byte[] input) {
    try {
      PeerId id = PeerId.fromBytes(input);
      if (!PeerId.parse(id.toBase58()).equals(id) || !PeerId.parse(id.toCid()).equals(id)) {
        throw new IllegalStateException("peer ID text round trip changed " + id);
      }
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
    try {
      Keys.decodePublicKey(input);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
    try {
      Keys.decodePrivateKey(input);
    } catch (IllegalArgumentException expected) {
      // rejected input
    }
  }
}
