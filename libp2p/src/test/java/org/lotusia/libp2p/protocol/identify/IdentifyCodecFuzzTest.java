package org.lotusia.libp2p.protocol.identify;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Optional;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.ProtocolViolationException;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

/**
 * Fuzzes the identify decoder: any input either decodes or fails with {@link
 * ProtocolViolationException}, never with another exception. Runs its seeds as a regression test;
 * set {@code JAZZER_FUZZ=1} to fuzz.
 */
class IdentifyCodecFuzzTest {

  private static final IdentityPrivateKey KEY = Keys.ed25519FromSeed(new byte[32]);
  private static final PeerId PEER = PeerId.fromPublicKey(KEY.publicKey());
  private static final byte[] VALID =
      IdentifyCodec.encode(
          new IdentifyInfo(
              "ipfs/0.1.0",
              "agent",
              KEY.publicKey(),
              List.of(Multiaddr.parse("/ip4/1.2.3.4/tcp/5")),
              Optional.of(Multiaddr.parse("/ip4/5.6.7.8/tcp/9")),
              List.of("/ipfs/ping/1.0.0"),
              Optional.empty()));

  @FuzzTest(maxDuration = "30s")
  void decodeNeverThrowsAnythingButProtocolViolation(byte[] data) {
    check(data);
    // Mutations of a valid message reach deeper than random bytes.
    if (data.length > 0) {
      byte[] mutated = VALID.clone();
      for (int i = 0; i < data.length; i++) {
        mutated[(data[i] & 0xff) % mutated.length] ^= (byte) (i + 1);
      }
      check(mutated);
    }
  }

  private static void check(byte[] data) {
    for (boolean partial : new boolean[] {false, true}) {
      try {
        IdentifyCodec.decode(data, PEER, partial ? KEY.publicKey() : null, partial);
      } catch (ProtocolViolationException expected) {
        // the only accepted failure
      }
    }
  }
}
