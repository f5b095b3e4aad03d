package org.lotusia.libp2p.bench;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import org.lotusia.libp2p.NoiseCipher;
import org.lotusia.libp2p.internal.noise.AeadImplementation;
import org.lotusia.libp2p.internal.noise.CipherState;

/**
 * Baseline: ChaCha20-Poly1305 throughput of every implementation available in this process over
 * Noise-sized frames (65,519 bytes of plaintext, 65,535 bytes of ciphertext), one thread, through
 * {@link CipherState} as the Noise codec uses it: encrypt, decrypt, and encrypt then decrypt. The
 * native implementation is also measured on direct buffers, its zero-copy path. Finally prints the
 * process-wide choice ({@link NoiseCipher}) once its calibration has settled.
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
        "# ChaChaPolyBench java %s (%s), %d cores, frame %d B plaintext%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        frame);
    for (AeadImplementation impl : AeadImplementation.values()) {
      if (!impl.isAvailable()) {
        System.out.printf("# %s unavailable: %s%n", impl.id(), impl.unavailableReason().get());
        continue;
      }
      CipherState enc = new CipherState(impl, key);
      run(impl.id() + " encrypt", () -> enc.encrypt(pt, 0, frame, ct, 0), frame, seconds);

      // Decrypt needs valid ciphertexts: a ring of frames sealed under consecutive nonces.
      int ring = 64;
      byte[][] cts = new byte[ring][frame + 16];
      CipherState ringSealer = new CipherState(impl, key);
      for (int i = 0; i < ring; i++) {
        ringSealer.encrypt(pt, 0, frame, cts[i], 0);
      }
      CipherState dec = new CipherState(impl, key);
      Case decrypt =
          () -> {
            long n = dec.nonce();
            byte[] c = cts[(int) (n % ring)];
            dec.setNonce(n % ring);
            dec.decrypt(c, 0, c.length, back, 0);
            dec.setNonce(n + 1);
          };
      run(impl.id() + " decrypt", decrypt, frame, seconds);

      CipherState a = new CipherState(impl, key);
      CipherState b = new CipherState(impl, key);
      Case roundTrip =
          () -> {
            a.encrypt(pt, 0, frame, ct, 0);
            b.decrypt(ct, 0, ct.length, back, 0);
          };
      run(impl.id() + " encrypt+decrypt (plaintext counted once)", roundTrip, frame, seconds);

      if (impl == AeadImplementation.NATIVE) {
        ByteBuffer in = ByteBuffer.allocateDirect(frame).put(pt).flip();
        ByteBuffer sealed = ByteBuffer.allocateDirect(frame + 16);
        ByteBuffer opened = ByteBuffer.allocateDirect(frame);
        CipherState da = new CipherState(impl, key);
        CipherState db = new CipherState(impl, key);
        Case direct =
            () -> {
              da.encrypt(in.clear(), sealed.clear());
              db.decrypt(sealed.clear(), opened.clear());
            };
        run(impl.id() + " encrypt+decrypt, direct buffers", direct, frame, seconds);
      }
    }
    NoiseCipher chosen = NoiseCipher.settled().get();
    System.out.println("# Noise uses: " + chosen);
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
        "RESULT | %-50s | %8.2f Gbit/s | %8.1f us/frame | %d frames%n",
        name, gbps, elapsed * 1e6 / ops, ops);
  }

  @FunctionalInterface
  private interface Case {
    void once() throws Exception;
  }
}
