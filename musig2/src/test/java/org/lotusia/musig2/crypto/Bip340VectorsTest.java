package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lotusia.musig2.crypto.Vectors.hex;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * The BIP340 test-vectors.csv: signing where a secret key is given, verification for every row, on
 * every secp256k1 provider that can be selected here.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("org.lotusia.musig2.crypto.Providers#all")
class Bip340VectorsTest {
  private final Bip340 bip340;

  Bip340VectorsTest(Secp256k1Provider curve) {
    this.bip340 = new Bip340(curve);
  }

  @Test
  void allRows() throws IOException {
    List<String> rows;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("/vectors/bip340/test-vectors.csv"),
                StandardCharsets.UTF_8))) {
      rows = r.lines().skip(1).filter(l -> !l.isBlank()).collect(Collectors.toList());
    }
    assertThat(rows).hasSizeGreaterThanOrEqualTo(15);
    for (String row : rows) {
      String[] f = row.split(",", -1);
      String label = "BIP340 vector " + f[0] + " " + f[7];
      byte[] msg = hex(f[4]);
      byte[] sig = hex(f[5]);
      boolean expected = f[6].equals("TRUE");
      if (!f[1].isEmpty()) {
        assertThat(hex(bip340.sign(hex(f[1]), msg, hex(f[3]))))
            .as(label)
            .isEqualToIgnoringCase(f[5]);
      }
      assertThat(bip340.verify(hex(f[2]), msg, sig)).as(label).isEqualTo(expected);
    }
  }
}
