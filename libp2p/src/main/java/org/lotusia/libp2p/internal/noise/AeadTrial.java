package org.lotusia.libp2p.internal.noise;

/**
 * A calibration {@link AeadCalibration.Trial} of one {@link AeadImplementation}: each run seals two
 * full-size Noise transport messages (65,519 bytes of plaintext) and opens them again, the work of
 * both ends of a bulk transfer.
 *
 * <p>Not thread-safe; used by the calibration thread only.
 */
final class AeadTrial implements AeadCalibration.Trial {

  private static final int MESSAGE = 65535 - AeadKey.TAG_LENGTH;
  private static final int MESSAGES_PER_RUN = 2;

  /** Small messages for warm-up: many calls, so the JIT compiles the per-call code as well. */
  private static final int WARM_UP_MESSAGE = 4096;

  private static final int WARM_UP_CALLS = 2000;

  private final AeadImplementation implementation;
  private final AeadKey sealer;
  private final AeadKey opener;
  private final byte[] plain = new byte[MESSAGE];
  private final byte[] sealed = new byte[MESSAGE + AeadKey.TAG_LENGTH];
  private long nonce;

  AeadTrial(AeadImplementation implementation) {
    this.implementation = implementation;
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    this.sealer = implementation.newKey(key);
    this.opener = implementation.newKey(key);
    new java.util.SplittableRandom().nextBytes(plain);
  }

  @Override
  public String name() {
    return implementation.id();
  }

  @Override
  public void warmUp() {
    for (int i = 0; i < WARM_UP_CALLS; i++) {
      roundTrip(WARM_UP_MESSAGE);
    }
  }

  @Override
  public void run() {
    for (int i = 0; i < MESSAGES_PER_RUN; i++) {
      roundTrip(MESSAGE);
    }
  }

  @Override
  public long bytesPerRun() {
    return (long) MESSAGE * MESSAGES_PER_RUN;
  }

  private void roundTrip(int len) {
    long n = nonce++;
    int c = sealer.seal(n, CipherState.EMPTY, plain, 0, len, sealed, 0);
    if (opener.open(n, CipherState.EMPTY, sealed, 0, c, plain, 0) != len) {
      throw new IllegalStateException(
          implementation.id() + " ChaCha20-Poly1305 failed to open its own message");
    }
  }
}
