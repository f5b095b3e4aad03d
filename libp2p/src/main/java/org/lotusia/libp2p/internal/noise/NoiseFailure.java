package org.lotusia.libp2p.internal.noise;

/**
 * A failed Noise check inside the I/O-free state machines: bad message length, authentication
 * failure, invalid Diffie-Hellman result, exhausted nonce.
 *
 * <p>Never leaves this package: {@link NoiseHandler} turns it into the connection-level exception
 * that names the remote as the party at fault.
 */
final class NoiseFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NoiseFailure(String message) {
    super(message);
  }

  NoiseFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
