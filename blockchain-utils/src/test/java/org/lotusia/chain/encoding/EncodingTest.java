package org.lotusia.chain.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EncodingTest {

  @Test
  void varIntBoundariesRoundTrip() {
    long[] values = {0, 1, 0xfc, 0xfd, 0xffff, 0x10000, 0xffffffffL, 0x100000000L, Long.MAX_VALUE};
    for (long v : values) {
      byte[] b = new ByteWriter().varInt(v).toByteArray();
      assertThat(b).hasSize(ByteWriter.varIntSize(v));
      ByteReader r = new ByteReader(b);
      assertThat(r.varInt("v", Long.MAX_VALUE)).isEqualTo(v);
      assertThat(r.remaining()).isZero();
    }
    Random rnd = new Random(17);
    for (int i = 0; i < 1000; i++) {
      long v = (rnd.nextLong() >>> 1) >>> rnd.nextInt(63);
      ByteWriter w = new ByteWriter(1).varInt(v).u32(v).u64(v).u8((int) v);
      ByteReader r = new ByteReader(w.toByteArray());
      assertThat(r.varInt("v", Long.MAX_VALUE)).isEqualTo(v);
      assertThat(r.u32("u32")).isEqualTo(v & 0xffffffffL);
      assertThat(r.u64("u64")).isEqualTo(v);
      assertThat(r.u8("u8")).isEqualTo((int) (v & 0xff));
    }
  }

  @Test
  void base58RoundTripAndErrors() {
    Random rnd = new Random(4);
    for (int i = 0; i < 500; i++) {
      byte[] d = new byte[rnd.nextInt(50)];
      rnd.nextBytes(d);
      if (d.length > 0 && rnd.nextBoolean()) {
        d[0] = 0;
      }
      assertThat(Base58.decode(Base58.encode(d))).isEqualTo(d);
    }
    assertThat(Base58.encode(new byte[] {0, 0, 1})).isEqualTo("112");
    assertThatThrownBy(() -> Base58.decode("abcO")).hasMessageContaining("'O' at position 3");
    assertThatThrownBy(() -> Base58.decode("é")).hasMessageContaining("invalid Base58");
  }
}
