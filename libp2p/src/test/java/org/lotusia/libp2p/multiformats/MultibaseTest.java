package org.lotusia.libp2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class MultibaseTest {

  /** "yes mani !" examples of the multibase specification test vectors. */
  @ParameterizedTest
  @CsvSource({
    "BASE58BTC, z7paNL19xttacUY",
    "BASE32, bpfsxgidnmfxgsibb",
    "BASE16, f796573206d616e692021",
    "BASE64URL, ueWVzIG1hbmkgIQ",
    "BASE64, meWVzIG1hbmkgIQ",
    "BASE36, k2lcpzo5yikidynfl"
  })
  void specVectors(Multibase.Base base, String expected) {
    byte[] data = "yes mani !".getBytes(StandardCharsets.UTF_8);
    assertThat(Multibase.encode(base, data)).isEqualTo(expected);
    assertThat(Multibase.decode(expected)).isEqualTo(data);
    assertThat(Multibase.baseOf(expected)).isEqualTo(base);
  }

  @Test
  void base58LeadingZeros() {
    byte[] data = {0, 0, 0x28, 0x7f, (byte) 0xb4, (byte) 0xcd};
    assertThat(Base58Btc.encode(data)).isEqualTo("11233QC4");
    assertThat(Base58Btc.decode("11233QC4")).isEqualTo(data);
    assertThat(Base58Btc.encode(new byte[3])).isEqualTo("111");
    assertThat(Base58Btc.decode("111")).isEqualTo(new byte[3]);
    assertThat(Base58Btc.encode(new byte[0])).isEmpty();
    assertThat(Base58Btc.decode("")).isEmpty();
    assertThat(Base58Btc.encode("Hello World!".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo("2NEpo7TZRRrLZSi2U");
  }

  @Test
  void upperCaseVariantsDecode() {
    assertThat(Multibase.decode("BPFSXGIDNMFXGSIBB"))
        .isEqualTo("yes mani !".getBytes(StandardCharsets.UTF_8));
    assertThat(Multibase.decode("K2LCPZO5YIKIDYNFL"))
        .isEqualTo("yes mani !".getBytes(StandardCharsets.UTF_8));
    assertThat(Multibase.decode("F796573206D616E692021"))
        .isEqualTo("yes mani !".getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(Multibase.Base.class)
  void randomRoundTrips(Multibase.Base base) {
    SplittableRandom rnd = new SplittableRandom(base.ordinal());
    for (int i = 0; i < 300; i++) {
      byte[] data = new byte[rnd.nextInt(0, 70)];
      rnd.nextBytes(data);
      if (rnd.nextInt(4) == 0 && data.length > 2) {
        data[0] = 0;
        data[1] = 0;
      }
      String text = Multibase.encode(base, data);
      assertThat(text.charAt(0)).isEqualTo(base.prefix());
      assertThat(Multibase.decode(text)).isEqualTo(data);
    }
  }

  @Test
  void malformedInputs() {
    assertThatThrownBy(() -> Multibase.decode(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> Multibase.decode("x51"))
        .hasMessageContaining("unsupported multibase prefix 'x'");
    assertThatThrownBy(() -> Multibase.decode("z0OIl"))
        .hasMessageContaining("invalid base58 character '0'");
    assertThatThrownBy(() -> Multibase.decode("k2lA"))
        .hasMessageContaining("invalid base36 character 'A'");
    assertThatThrownBy(() -> Multibase.decode("zé"))
        .hasMessageContaining("invalid base58 character");
    assertThatThrownBy(() -> Multibase.decode("bab1a"))
        .hasMessageContaining("invalid base32 character '1'");
    assertThatThrownBy(() -> Multibase.decode("ba")).hasMessageContaining("impossible length");
    assertThatThrownBy(() -> Multibase.decode("babc")).hasMessageContaining("impossible length");
    assertThatThrownBy(() -> Multibase.decode("bap"))
        .hasMessageContaining("non-zero trailing bits");
    assertThatThrownBy(() -> Multibase.decode("fabc")).hasMessageContaining("odd length");
    assertThatThrownBy(() -> Multibase.decode("fzz"))
        .hasMessageContaining("invalid base16 character 'z'");
    assertThatThrownBy(() -> Multibase.decode("ueWVzIG1hbmkgIQ==")).hasMessageContaining("padded");
    assertThatThrownBy(() -> Multibase.decode("ueWVzIG1hbmkgIR"))
        .hasMessageContaining("trailing bits");
    assertThatThrownBy(() -> Multibase.decode("u+/8")).hasMessageContaining("invalid base64url");
    assertThatThrownBy(() -> Multibase.decode("m-_8")).hasMessageContaining("invalid base64");
    assertThatThrownBy(() -> Multibase.decode("mA")).hasMessageContaining("impossible length");
  }
}
