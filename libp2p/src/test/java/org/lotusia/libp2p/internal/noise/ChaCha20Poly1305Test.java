package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link ChaCha20Poly1305} against the RFC 8439 test vectors (test resource {@code
 * noise/rfc8439-vectors.txt}), against the JDK's {@code ChaCha20-Poly1305} cipher and against a
 * {@link BigInteger} model of Poly1305.
 */
class ChaCha20Poly1305Test {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

  /** One line of the vector file: kind, name and hex fields. */
  private static final class Vector {
    final String kind;
    final String name;
    final Map<String, String> fields = new HashMap<>();

    Vector(String line) {
      String[] parts = line.split(" ");
      kind = parts[0];
      name = parts[1];
      for (int i = 2; i < parts.length; i++) {
        int eq = parts[i].indexOf('=');
        fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
      }
    }

    byte[] hex(String field) {
      String v = fields.get(field);
      assertThat(v).as("%s %s field %s", kind, name, field).isNotNull();
      return HEX.parseHex(v);
    }

    int integer(String field) {
      return Integer.parseInt(fields.get(field));
    }
  }

  private static List<Vector> vectors(String kind) throws Exception {
    List<Vector> out = new ArrayList<>();
    try (InputStream in =
            ChaCha20Poly1305Test.class.getResourceAsStream("/noise/rfc8439-vectors.txt");
        BufferedReader r =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        Vector v = new Vector(line);
        if (v.kind.equals(kind)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private static int nonce0(byte[] nonce) {
    return ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }

  private static long nonce1(byte[] nonce) {
    return ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).getLong(4);
  }

  // ---------------------------------------------------------------------------------------------
  // RFC 8439 vectors

  @Test
  void blockFunctionVectors() throws Exception {
    List<Vector> vs = vectors("block");
    assertThat(vs).hasSize(6); // 2.3.2 and A.1 #1 to #5
    for (Vector v : vs) {
      byte[] block =
          ChaCha20Poly1305.chacha20(
              v.hex("key"), v.hex("nonce"), v.integer("counter"), new byte[64]);
      assertThat(HEX.formatHex(block)).as(v.name).isEqualTo(HEX.formatHex(v.hex("out")));
    }
  }

  @Test
  void encryptionVectors() throws Exception {
    List<Vector> vs = vectors("chacha20");
    assertThat(vs).hasSize(4); // 2.4.2 and A.2 #1 to #3
    for (Vector v : vs) {
      byte[] out =
          ChaCha20Poly1305.chacha20(
              v.hex("key"), v.hex("nonce"), v.integer("counter"), v.hex("in"));
      assertThat(HEX.formatHex(out)).as(v.name).isEqualTo(HEX.formatHex(v.hex("out")));
    }
  }

  @Test
  void poly1305Vectors() throws Exception {
    List<Vector> vs = vectors("poly1305");
    assertThat(vs).hasSize(12); // 2.5.2 and A.3 #1 to #11
    for (Vector v : vs) {
      byte[] tag = ChaCha20Poly1305.poly1305(v.hex("key"), v.hex("msg"));
      assertThat(HEX.formatHex(tag)).as(v.name).isEqualTo(HEX.formatHex(v.hex("tag")));
      assertThat(tag)
          .as(v.name + " (BigInteger model)")
          .isEqualTo(model(v.hex("key"), v.hex("msg")));
    }
  }

  @Test
  void poly1305KeyGenerationVectors() throws Exception {
    List<Vector> vs = vectors("keygen");
    assertThat(vs).hasSize(4); // 2.6.2 and A.4 #1 to #3
    for (Vector v : vs) {
      byte[] key = ChaCha20Poly1305.poly1305KeyGen(v.hex("key"), v.hex("nonce"));
      assertThat(HEX.formatHex(key)).as(v.name).isEqualTo(HEX.formatHex(v.hex("out")));
    }
  }

  @Test
  void aeadVectors() throws Exception {
    List<Vector> vs = vectors("aead");
    assertThat(vs).hasSize(2); // 2.8.2 and A.5
    for (Vector v : vs) {
      byte[] nonce = v.hex("nonce");
      byte[] aad = v.hex("aad");
      byte[] pt = v.hex("pt");
      byte[] expected = concat(v.hex("ct"), v.hex("tag"));
      ChaCha20Poly1305 aead = new ChaCha20Poly1305(v.hex("key"));

      byte[] sealed = new byte[pt.length + 16];
      int n =
          aead.seal(nonce0(nonce), nonce1(nonce), aad, 0, aad.length, pt, 0, pt.length, sealed, 0);
      assertThat(n).isEqualTo(pt.length + 16);
      assertThat(HEX.formatHex(sealed)).as(v.name + " seal").isEqualTo(HEX.formatHex(expected));

      byte[] opened = new byte[pt.length];
      int m =
          aead.open(
              nonce0(nonce),
              nonce1(nonce),
              aad,
              0,
              aad.length,
              expected,
              0,
              expected.length,
              opened,
              0);
      assertThat(m).as(v.name + " open").isEqualTo(pt.length);
      assertThat(opened).as(v.name + " open").isEqualTo(pt);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Against the JDK cipher

  private static byte[] jdk(int mode, byte[] key, byte[] nonce, byte[] aad, byte[] in)
      throws Exception {
    Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
    c.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    c.updateAAD(aad);
    return c.doFinal(in);
  }

  private static byte[] random(SplittableRandom rnd, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) rnd.nextInt();
    }
    return b;
  }

  private static List<Integer> lengths() {
    List<Integer> lengths = new ArrayList<>();
    for (int i = 0; i <= 300; i++) {
      lengths.add(i);
    }
    // Around the switch to side-by-side blocks (8 blocks) and its width (128 blocks), and Noise
    // frames.
    for (int len :
        new int[] {
          511, 512, 513, 575, 1000, 4095, 4097, 8191, 8192, 8193, 8255, 8256, 16385, 65519, 65535
        }) {
      lengths.add(len);
    }
    return lengths;
  }

  @Test
  void agreesWithTheJdkCipherInBothDirections() throws Exception {
    SplittableRandom rnd = new SplittableRandom(8439);
    ChaCha20Poly1305 aead = new ChaCha20Poly1305();
    for (int len : lengths()) {
      byte[] key = random(rnd, 32);
      byte[] nonce = random(rnd, 12);
      byte[] aad = random(rnd, rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(40));
      byte[] pt = random(rnd, len);
      aead.init(key);
      int inOff = rnd.nextInt(5);
      int outOff = rnd.nextInt(5);
      byte[] in = new byte[inOff + len + 3];
      System.arraycopy(pt, 0, in, inOff, len);
      byte[] out = new byte[outOff + len + 16 + 3];
      aead.seal(nonce0(nonce), nonce1(nonce), aad, 0, aad.length, in, inOff, len, out, outOff);
      byte[] ours = Arrays.copyOfRange(out, outOff, outOff + len + 16);
      byte[] theirs = jdk(Cipher.ENCRYPT_MODE, key, nonce, aad, pt);
      assertThat(ours).as("seal, length %d", len).isEqualTo(theirs);
      assertThat(jdk(Cipher.DECRYPT_MODE, key, nonce, aad, ours))
          .as("JDK opens ours, length %d", len)
          .isEqualTo(pt);

      byte[] back = new byte[len + 2];
      int n =
          aead.open(
              nonce0(nonce), nonce1(nonce), aad, 0, aad.length, theirs, 0, theirs.length, back, 1);
      assertThat(n).as("open, length %d", len).isEqualTo(len);
      assertThat(Arrays.copyOfRange(back, 1, 1 + len)).as("open, length %d", len).isEqualTo(pt);
    }
  }

  @Test
  void agreesWithTheJdkCipherAfterJitCompilation() throws Exception {
    // Enough messages for the JIT to compile (and vectorise) the hot loops; each one is checked.
    SplittableRandom rnd = new SplittableRandom(2026);
    byte[] key = random(rnd, 32);
    ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);
    Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
    SecretKeySpec k = new SecretKeySpec(key, "ChaCha20");
    byte[] pt = random(rnd, 9000);
    byte[] ct = new byte[9016];
    byte[] back = new byte[9000];
    for (int i = 0; i < 4000; i++) {
      int len = 400 + rnd.nextInt(8600);
      byte[] nonce = new byte[12];
      ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(4, i);
      aead.seal(0, i, pt, 0, 0, pt, 0, len, ct, 0);
      jdk.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(nonce));
      assertThat(jdk.doFinal(ct, 0, len + 16))
          .as("message %d, %d bytes", i, len)
          .isEqualTo(Arrays.copyOf(pt, len));
      assertThat(aead.open(0, i, pt, 0, 0, ct, 0, len + 16, back, 0)).isEqualTo(len);
      assertThat(Arrays.equals(back, 0, len, pt, 0, len)).as("message %d opened", i).isTrue();
      pt[rnd.nextInt(len)] ^= 1;
    }
  }

  @Test
  void worksInPlace() throws Exception {
    SplittableRandom rnd = new SplittableRandom(17);
    for (int len : lengths()) {
      byte[] key = random(rnd, 32);
      byte[] aad = random(rnd, rnd.nextInt(20));
      long counter = rnd.nextLong();
      byte[] nonce = new byte[12];
      ByteBuffer.wrap(nonce).order(ByteOrder.LITTLE_ENDIAN).putLong(4, counter);
      byte[] pt = random(rnd, len);
      int off = rnd.nextInt(7);
      byte[] buf = new byte[off + len + 16];
      System.arraycopy(pt, 0, buf, off, len);
      ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);
      aead.seal(0, counter, aad, 0, aad.length, buf, off, len, buf, off);
      assertThat(Arrays.copyOfRange(buf, off, off + len + 16))
          .as("in-place seal, length %d", len)
          .isEqualTo(jdk(Cipher.ENCRYPT_MODE, key, nonce, aad, pt));
      int n = aead.open(0, counter, aad, 0, aad.length, buf, off, len + 16, buf, off);
      assertThat(n).isEqualTo(len);
      assertThat(Arrays.copyOfRange(buf, off, off + len))
          .as("in-place open, length %d", len)
          .isEqualTo(pt);
    }
  }

  @Test
  void anyTamperingFailsAndWritesNothing() throws Exception {
    SplittableRandom rnd = new SplittableRandom(99);
    for (int len : new int[] {0, 1, 15, 16, 17, 63, 64, 65, 300, 600}) {
      byte[] key = random(rnd, 32);
      byte[] nonce = random(rnd, 12);
      byte[] aad = random(rnd, 13);
      byte[] pt = random(rnd, len);
      byte[] ct = jdk(Cipher.ENCRYPT_MODE, key, nonce, aad, pt);
      ChaCha20Poly1305 aead = new ChaCha20Poly1305(key);
      for (int i = 0; i < ct.length; i++) {
        for (int bit : new int[] {0x01, 0x80}) {
          byte[] bad = ct.clone();
          bad[i] ^= (byte) bit;
          byte[] out = new byte[len];
          Arrays.fill(out, (byte) 0x5a);
          int n = aead.open(nonce0(nonce), nonce1(nonce), aad, 0, 13, bad, 0, bad.length, out, 0);
          assertThat(n).as("length %d, byte %d flipped", len, i).isEqualTo(-1);
          byte[] untouched = new byte[len];
          Arrays.fill(untouched, (byte) 0x5a);
          assertThat(out).as("output after failure, length %d", len).isEqualTo(untouched);

          byte[] inPlace = bad.clone();
          n = aead.open(nonce0(nonce), nonce1(nonce), aad, 0, 13, inPlace, 0, len + 16, inPlace, 0);
          assertThat(n).isEqualTo(-1);
          assertThat(inPlace).as("in-place buffer after failure").isEqualTo(bad);
        }
      }
      byte[] badAad = aad.clone();
      badAad[rnd.nextInt(13)] ^= 4;
      assertThat(
              aead.open(
                  nonce0(nonce), nonce1(nonce), badAad, 0, 13, ct, 0, ct.length, new byte[len], 0))
          .as("wrong associated data")
          .isEqualTo(-1);
      assertThat(
              aead.open(
                  nonce0(nonce), nonce1(nonce) + 1, aad, 0, 13, ct, 0, ct.length, new byte[len], 0))
          .as("wrong nonce")
          .isEqualTo(-1);
      assertThat(
              aead.open(
                  nonce0(nonce), nonce1(nonce), aad, 0, 13, ct, 0, ct.length, new byte[len], 0))
          .as("the untampered message still opens")
          .isEqualTo(len);
    }
  }

  @Test
  void messagesShorterThanTheTagAreRejected() {
    ChaCha20Poly1305 aead = new ChaCha20Poly1305(new byte[32]);
    assertThat(aead.open(0, 0, new byte[0], 0, 0, new byte[15], 0, 15, new byte[0], 0))
        .isEqualTo(-1);
  }

  // ---------------------------------------------------------------------------------------------
  // Poly1305 carries and final reduction

  /** Poly1305 straight from RFC 8439 section 2.5 with arbitrary-precision integers. */
  private static byte[] model(byte[] key, byte[] msg) {
    byte[] rBytes = Arrays.copyOf(key, 16);
    for (int i : new int[] {3, 7, 11, 15}) {
      rBytes[i] &= 15;
    }
    for (int i : new int[] {4, 8, 12}) {
      rBytes[i] &= (byte) 252;
    }
    BigInteger r = le(rBytes);
    BigInteger s = le(Arrays.copyOfRange(key, 16, 32));
    BigInteger acc = BigInteger.ZERO;
    for (int i = 0; i < msg.length; i += 16) {
      byte[] block = Arrays.copyOfRange(msg, i, Math.min(i + 16, msg.length));
      BigInteger n = le(block).setBit(8 * block.length);
      acc = acc.add(n).multiply(r).mod(P);
    }
    BigInteger tag = acc.add(s).mod(BigInteger.ONE.shiftLeft(128));
    byte[] out = new byte[16];
    byte[] be = tag.toByteArray();
    for (int i = 0; i < 16 && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static BigInteger le(byte[] b) {
    byte[] be = new byte[b.length + 1];
    for (int i = 0; i < b.length; i++) {
      be[b.length - i] = b[i];
    }
    return new BigInteger(be);
  }

  private static byte[] ff(int len) {
    byte[] b = new byte[len];
    Arrays.fill(b, (byte) 0xff);
    return b;
  }

  @Test
  void allOnesKeysAndBlocks() {
    byte[] key = ff(32); // r clamps to 0x0ffffffc0ffffffc0ffffffc0fffffff, s = 2^128 - 1
    for (int len = 0; len <= 200; len++) {
      byte[] msg = ff(len);
      assertThat(ChaCha20Poly1305.poly1305(key, msg))
          .as("all ones, length %d", len)
          .isEqualTo(model(key, msg));
    }
    byte[] big = ff(65535);
    assertThat(ChaCha20Poly1305.poly1305(key, big)).isEqualTo(model(key, big));
  }

  @Test
  void accumulatorBetweenPAndTwoToThe130BeforeFinalReduction() {
    // With r = 1 two full blocks m1, m2 leave h = m1 + m2 + 2^129 unreduced. For m1 = 2^128 - 1
    // and m2 = 2^128 - 1 - d that is 2^130 - 2 - d: d = 3 gives exactly p, d < 3 values in
    // (p, 2^130), d > 3 values just below p.
    byte[] key = new byte[32];
    key[0] = 1;
    for (int d = 0; d <= 8; d++) {
      byte[] msg = ff(32);
      msg[16] = (byte) (0xff - d);
      for (byte[] s : new byte[][] {new byte[16], ff(16), HEX.parseHex("0500000000000000fb")}) {
        byte[] k = key.clone();
        System.arraycopy(s, 0, k, 16, s.length);
        assertThat(ChaCha20Poly1305.poly1305(k, msg))
            .as("d = %d, s = %s", d, HEX.formatHex(s))
            .isEqualTo(model(k, msg));
      }
    }
    // Random keys on messages that are often all ones, so the accumulator is often near 2^130.
    SplittableRandom rnd = new SplittableRandom(5);
    for (int i = 0; i < 2000; i++) {
      byte[] k = rnd.nextBoolean() ? random(rnd, 32) : ff(32);
      byte[] msg = rnd.nextBoolean() ? ff(1 + rnd.nextInt(100)) : random(rnd, rnd.nextInt(100));
      assertThat(ChaCha20Poly1305.poly1305(k, msg)).as("random %d", i).isEqualTo(model(k, msg));
    }
  }
}
