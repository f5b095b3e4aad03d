package org.lotusia.libp2p.bench;

import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.lotusia.libp2p.internal.noise.ChaCha20Poly1305;
import org.lotusia.libp2p.internal.noise.CipherState;

/**
 * Baseline: raw ChaCha20-Poly1305 throughput of the running JDK over Noise-sized frames (65,519
 * bytes of plaintext, 65,535 bytes of ciphertext), one thread. It is the ceiling any Noise
 * transport on this JDK can reach. Measures the bare JDK {@link Cipher} and the same work through
 * {@link CipherState}, which the Noise codec uses, so the difference is the state's own overhead,
 * and the pure-Java {@link ChaCha20Poly1305} next to the JDK cipher. The {@code CipherState} cases
 * use the implementation {@code CipherState} picks: the pure-Java one before JDK 21, the JDK cipher
 * from 21, unless {@code -Dlotus.noise.aead=java|jdk} says otherwise.
 *
 * <p>Usage: {@code ChaChaPolyBench [seconds-per-measurement, default 3] [frame plaintext bytes,
 * default 65519]}. Prints one line per case in Gbit/s of plaintext (10^9 bit/s).
 */
public final class ChaChaPolyBench {

  private ChaChaPolyBench() {}

  /** Runs the benchmark; see the class comment for arguments. */
  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
    int frame = args.length > 1 ? Integer.parseInt(args[1]) : 65519;
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    byte[] pt = new byte[frame];
    new SecureRandom().nextBytes(pt);
    byte[] ct = new byte[frame + 16];
    byte[] back = new byte[frame];
    System.out.printf(
        "# ChaChaPolyBench java %s (%s), %d cores, frame %d B plaintext, %s=%s%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        frame,
        CipherState.IMPLEMENTATION_PROPERTY,
        System.getProperty(CipherState.IMPLEMENTATION_PROPERTY, "(unset)"));

    SecretKeySpec k = new SecretKeySpec(key, "ChaCha20");
    Cipher enc = Cipher.getInstance("ChaCha20-Poly1305");
    Cipher dec = Cipher.getInstance("ChaCha20-Poly1305");
    long[] counter = {0};
    Case jdkEncrypt =
        () -> {
          enc.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(nonce(counter[0]++)));
          enc.doFinal(pt, 0, frame, ct, 0);
        };
    run("JDK Cipher encrypt", jdkEncrypt, frame, seconds);

    // Decrypt needs valid ciphertexts: a ring of pre-encrypted frames with consecutive nonces.
    int ring = 64;
    byte[][] cts = new byte[ring][];
    for (int i = 0; i < ring; i++) {
      Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
      c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(nonce(i)));
      cts[i] = c.doFinal(pt);
    }
    long[] dctr = {0};
    Case jdkDecrypt =
        () -> {
          int i = (int) (dctr[0]++ % ring);
          // Alternate nonces keep the JDK's same-key-and-nonce check happy when the ring wraps.
          dec.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(nonce(i)));
          dec.doFinal(cts[i], 0, cts[i].length, back, 0);
        };
    run("JDK Cipher decrypt", jdkDecrypt, frame, seconds);

    // The ByteBuffer API: on JDK 17 (CipherSpi.bufferCrypt) and JDK 25 a direct buffer is copied to
    // and
    // from byte arrays inside the provider, which is why the codec uses the array path.
    java.nio.ByteBuffer directIn = java.nio.ByteBuffer.allocateDirect(frame);
    java.nio.ByteBuffer directOut = java.nio.ByteBuffer.allocateDirect(frame + 16);
    directIn.put(pt).flip();
    Case jdkDirect =
        () -> {
          enc.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(nonce(counter[0]++)));
          directIn.rewind();
          directOut.clear();
          enc.doFinal(directIn, directOut);
        };
    run("JDK Cipher encrypt, direct ByteBuffer -> direct ByteBuffer", jdkDirect, frame, seconds);

    ChaCha20Poly1305 javaAead = new ChaCha20Poly1305(key);
    byte[] javaCt = new byte[frame + 16];
    javaAead.seal(0, 0, new byte[0], 0, 0, pt, 0, frame, javaCt, 0);
    if (!Arrays.equals(javaCt, cts[0])) {
      throw new IllegalStateException("ChaCha20Poly1305 disagrees with the JDK cipher");
    }
    long[] jctr = {0};
    Case javaEncrypt = () -> javaAead.seal(0, jctr[0]++, pt, 0, 0, pt, 0, frame, ct, 0);
    run("ChaCha20Poly1305 (pure Java) encrypt", javaEncrypt, frame, seconds);
    long[] jdctr = {0};
    Case javaDecrypt =
        () -> {
          int i = (int) (jdctr[0]++ % ring);
          if (javaAead.open(0, i, pt, 0, 0, cts[i], 0, cts[i].length, back, 0) != frame) {
            throw new IllegalStateException("authentication failed");
          }
        };
    run("ChaCha20Poly1305 (pure Java) decrypt", javaDecrypt, frame, seconds);

    CipherState sender = new CipherState(key);
    Case stateEncrypt = () -> sender.encrypt(pt, 0, frame, ct, 0);
    run("CipherState encrypt", stateEncrypt, frame, seconds);

    CipherState a = new CipherState(key);
    CipherState b = new CipherState(key);
    Case stateRoundTrip =
        () -> {
          a.encrypt(pt, 0, frame, ct, 0);
          if (b.decrypt(ct, 0, ct.length, back, 0) != frame) {
            throw new IllegalStateException("short decryption");
          }
        };
    run(
        "CipherState encrypt+decrypt (per frame, counts plaintext once)",
        stateRoundTrip,
        frame,
        seconds);
  }

  private static byte[] nonce(long n) {
    byte[] iv = new byte[12];
    for (int i = 0; i < 8; i++) {
      iv[4 + i] = (byte) (n >>> (8 * i));
    }
    return iv;
  }

  private static void run(String name, Case c, int frame, double seconds) throws Exception {
    long warmEnd = System.nanoTime() + (long) (1e9 * Math.max(1.0, seconds / 2));
    while (System.nanoTime() < warmEnd) {
      c.once();
    }
    long ops = 0;
    long t0 = System.nanoTime();
    long end = t0 + (long) (seconds * 1e9);
    long now;
    do {
      for (int i = 0; i < 16; i++) {
        c.once();
      }
      ops += 16;
      now = System.nanoTime();
    } while (now < end);
    double elapsed = (now - t0) / 1e9;
    double gbps = ops * (double) frame * 8 / elapsed / 1e9;
    System.out.printf(
        "RESULT | %-62s | %8.2f Gbit/s | %8.1f us/frame | %d frames%n",
        name, gbps, elapsed * 1e6 / ops, ops);
  }

  @FunctionalInterface
  private interface Case {
    void once() throws Exception;
  }
}
