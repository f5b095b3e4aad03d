package org.lotusia.libp2p.multiformats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lotusia.libp2p.multiformats.Multibase.hex;
import static org.lotusia.libp2p.multiformats.Multibase.unhex;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarintTest {

  /** Examples from the multiformats unsigned-varint specification. */
  @ParameterizedTest
  @CsvSource({
    "1, 01",
    "127, 7f",
    "128, 8001",
    "255, ff01",
    "300, ac02",
    "16384, 808001",
    "0, 00",
    "9223372036854775807, ffffffffffffffff7f"
  })
  void specExamples(long value, String hexEncoding) {
    assertThat(hex(Varint.encode(value))).isEqualTo(hexEncoding);
    assertThat(Varint.decodeExact(unhex(hexEncoding))).isEqualTo(value);
    assertThat(Varint.encodedLength(value)).isEqualTo(hexEncoding.length() / 2);
    ByteBuffer buf = ByteBuffer.wrap(unhex(hexEncoding));
    assertThat(Varint.read(buf)).isEqualTo(value);
    assertThat(buf.hasRemaining()).isFalse();
  }

  @Test
  void randomRoundTrips() {
    SplittableRandom rnd = new SplittableRandom(42);
    ByteBuffer buf = ByteBuffer.allocate(9 * 1000);
    long[] values = new long[1000];
    for (int i = 0; i < values.length; i++) {
      values[i] = rnd.nextLong() >>> rnd.nextInt(1, 64);
      byte[] enc = Varint.encode(values[i]);
      Varint.Decoded d = Varint.decode(enc, 0);
      assertThat(d.value()).isEqualTo(values[i]);
      assertThat(d.length()).isEqualTo(enc.length);
      Varint.write(values[i], buf);
    }
    buf.flip();
    for (long v : values) {
      assertThat(Varint.read(buf)).isEqualTo(v);
    }
    assertThat(buf.hasRemaining()).isFalse();
  }

  @Test
  void decodeAtOffsetAndWriteAtOffset() {
    byte[] arr = new byte[6];
    assertThat(Varint.write(300, arr, 3)).isEqualTo(2);
    assertThat(Varint.decode(arr, 3)).isEqualTo(new Varint.Decoded(300, 2));
    assertThatThrownBy(() -> Varint.write(1L << 40, arr, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit");
    assertThatThrownBy(() -> Varint.decode(arr, 7)).hasMessageContaining("outside");
  }

  @Test
  void malformedInputs() {
    assertThatThrownBy(() -> Varint.decodeExact(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated varint");
    assertThatThrownBy(() -> Varint.decodeExact(unhex("8080")))
        .hasMessageContaining("truncated varint");
    assertThatThrownBy(() -> Varint.decodeExact(unhex("8000")))
        .hasMessageContaining("not minimally encoded");
    assertThatThrownBy(() -> Varint.decodeExact(unhex("ff00")))
        .hasMessageContaining("not minimally encoded");
    assertThatThrownBy(() -> Varint.decodeExact(unhex("ffffffffffffffff80")))
        .hasMessageContaining("longer than 9 bytes");
    assertThatThrownBy(() -> Varint.decodeExact(unhex("0101")))
        .hasMessageContaining("1 extra bytes");
    assertThatThrownBy(() -> Varint.encode(-1)).hasMessageContaining("non-negative");
    ByteBuffer bad = ByteBuffer.wrap(unhex("8000"));
    assertThatThrownBy(() -> Varint.read(bad)).hasMessageContaining("not minimally encoded");
    assertThat(bad.position()).isZero();
    ByteBuffer truncated = ByteBuffer.wrap(unhex("ff"));
    assertThatThrownBy(() -> Varint.read(truncated)).hasMessageContaining("truncated");
    assertThat(truncated.position()).isZero();
    ByteBuffer tooLong = ByteBuffer.wrap(unhex("ffffffffffffffffff01"));
    assertThatThrownBy(() -> Varint.read(tooLong)).hasMessageContaining("longer than 9 bytes");
  }
}
