package org.lotusia.chain.vectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.lotusia.chain.address.XAddress;
import org.lotusia.chain.crypto.EcdsaSignature;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.encoding.Base58;
import org.lotusia.chain.script.LokadData;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.tx.Transaction;

/**
 * Seeded random and mutated input to every decoder: only IllegalArgumentException, never anything
 * else.
 */
class DecoderRobustnessTest {

  private static final String SETUP_HEX =
      VectorFile.field(VectorFile.linesStartingWith("setup hex=").get(0), "hex");

  private interface Decoder {
    void decode(byte[] b);
  }

  private static int rejected(Random rnd, int rounds, byte[] seed, Decoder d) {
    int rejected = 0;
    for (int i = 0; i < rounds; i++) {
      byte[] b;
      if (seed != null && rnd.nextBoolean()) {
        b = seed.clone();
        int flips = 1 + rnd.nextInt(4);
        for (int f = 0; f < flips; f++) {
          b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
        }
        if (rnd.nextInt(4) == 0) {
          b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length + 8));
        }
      } else {
        b = new byte[rnd.nextInt(120)];
        rnd.nextBytes(b);
      }
      try {
        d.decode(b);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank();
        rejected++;
      }
    }
    return rejected;
  }

  @Test
  void transactionParser() {
    byte[] seed = java.util.HexFormat.of().parseHex(SETUP_HEX);
    int rejected =
        rejected(
            new Random(1),
            5000,
            seed,
            b -> {
              Transaction t = Transaction.parse(b);
              assertThat(t.serialize()).isEqualTo(b);
            });
    assertThat(rejected).isGreaterThan(0).isLessThan(5000);
  }

  @Test
  void addressDecoder() {
    byte[] seed =
        "lotus_16PSJQqpELASd4d5AwaKuezpYXsK8Jnk9ougXAjn3"
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    int rejected =
        rejected(
            new Random(2),
            5000,
            seed,
            b -> {
              String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
              XAddress a = XAddress.decode(s);
              assertThat(XAddress.decode(a.encode())).isEqualTo(a);
            });
    assertThat(rejected).isGreaterThan(4000);
    rejected(
        new Random(3),
        2000,
        null,
        b -> Base58.decode(new String(b, java.nio.charset.StandardCharsets.ISO_8859_1)));
  }

  @Test
  void signatureAndPointDecoders() {
    byte[] der = Secp256k1.defaultProvider().mulG(BigInteger.TWO).encodeCompressed();
    rejected(new Random(4), 3000, der, b -> Secp256k1.defaultProvider().decode(b));
    byte[] goodDer = new EcdsaSignature(BigInteger.valueOf(12345), BigInteger.valueOf(678)).toDer();
    rejected(
        new Random(5),
        3000,
        goodDer,
        b -> {
          EcdsaSignature s = EcdsaSignature.fromDer(b);
          assertThat(s.toDer()).isEqualTo(b);
        });
    byte[] pub = Secp256k1.G.encodeCompressed();
    Random rnd = new Random(6);
    for (int i = 0; i < 200; i++) {
      byte[] sig = new byte[64];
      rnd.nextBytes(sig);
      assertThat(LotusSchnorr.verify(sig, pub, new byte[32])).isFalse();
    }
    rejected(
        new Random(7),
        3000,
        Script.fromHex("6a044c544d530101").bytes(),
        b -> LokadData.parse(Script.of(b)));
  }
}
