package org.lotusia.node.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.crypto.Secp256k1Choice;
import org.lotusia.libp2p.NoiseCipher;

/** The implementation choices in the status document: their fields, in order, maps sorted. */
class StatusReportTest {

  @Test
  void noiseCipherChoice() {
    NoiseCipher c =
        new NoiseCipher(
            "jdk",
            "JDK ChaCha20-Poly1305",
            "calibrated",
            Map.of("native", 1.5, "jdk", 2.25),
            Map.of("z", "no library", "a", "not here"));
    assertThat(StatusReport.noiseCipher(c).toString())
        .isEqualTo(
            "{\"implementation\":\"jdk\",\"description\":\"JDK ChaCha20-Poly1305\","
                + "\"basis\":\"calibrated\",\"measuredGbps\":{\"jdk\":2.25,\"native\":1.5},"
                + "\"unavailable\":{\"a\":\"not here\",\"z\":\"no library\"}}");
  }

  @Test
  void secp256k1Choice() {
    Secp256k1Choice c =
        new Secp256k1Choice(
            "bouncycastle", "BouncyCastle 1.0", "auto", Map.of("native", "no library"));
    assertThat(StatusReport.secp256k1(c).toString())
        .isEqualTo(
            "{\"implementation\":\"bouncycastle\",\"description\":\"BouncyCastle 1.0\","
                + "\"basis\":\"auto\",\"unavailable\":{\"native\":\"no library\"}}");
  }
}
