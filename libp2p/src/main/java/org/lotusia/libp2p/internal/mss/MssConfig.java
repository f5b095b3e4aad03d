package org.lotusia.libp2p.internal.mss;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one multistream-select negotiation.
 *
 * @param maxMessageLength largest accepted message, counted as the length prefix counts it
 *     (protocol id plus the trailing newline); default {@value #DEFAULT_MAX_MESSAGE_LENGTH}, the
 *     limit go-multistream and js-libp2p use for protocol ids
 * @param maxRounds most proposals (including {@code ls}) a responder answers before it gives up on
 *     the remote; default {@value #DEFAULT_MAX_ROUNDS}
 * @param timeout time the whole negotiation may take; default 10 seconds
 * @param lazy initiator only, with exactly one protocol: optimistic ("lazy") select as js-libp2p
 *     does; the protocol is installed at once and its first bytes follow the proposal without
 *     waiting for the echo
 */
public record MssConfig(int maxMessageLength, int maxRounds, Duration timeout, boolean lazy) {

  /** Default of {@link #maxMessageLength()}. */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 1024;

  /** Default of {@link #maxRounds()}. */
  public static final int DEFAULT_MAX_ROUNDS = 32;

  /** Default of {@link #timeout()}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  /** The defaults, interactive (not lazy). */
  public static final MssConfig DEFAULT =
      new MssConfig(DEFAULT_MAX_MESSAGE_LENGTH, DEFAULT_MAX_ROUNDS, DEFAULT_TIMEOUT, false);

  /**
   * Validates the limits.
   *
   * @throws IllegalArgumentException when a limit is out of range
   */
  public MssConfig {
    Objects.requireNonNull(timeout, "timeout");
    if (maxMessageLength < MultistreamSelect.HEADER.length() + 1 || maxMessageLength > 65_535) {
      throw new IllegalArgumentException(
          "maxMessageLength must be in ["
              + (MultistreamSelect.HEADER.length() + 1)
              + ", 65535], got "
              + maxMessageLength);
    }
    if (maxRounds < 1) {
      throw new IllegalArgumentException("maxRounds must be >= 1, got " + maxRounds);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
  }

  /**
   * Returns a copy with another message length limit.
   *
   * @param value new {@link #maxMessageLength()}
   * @return the new config
   */
  public MssConfig withMaxMessageLength(int value) {
    return new MssConfig(value, maxRounds, timeout, lazy);
  }

  /**
   * Returns a copy with another round limit.
   *
   * @param value new {@link #maxRounds()}
   * @return the new config
   */
  public MssConfig withMaxRounds(int value) {
    return new MssConfig(maxMessageLength, value, timeout, lazy);
  }

  /**
   * Returns a copy with another timeout.
   *
   * @param value new {@link #timeout()}
   * @return the new config
   */
  public MssConfig withTimeout(Duration value) {
    return new MssConfig(maxMessageLength, maxRounds, value, lazy);
  }

  /**
   * Returns a copy with lazy select switched on or off.
   *
   * @param value new {@link #lazy()}
   * @return the new config
   */
  public MssConfig withLazy(boolean value) {
    return new MssConfig(maxMessageLength, maxRounds, timeout, value);
  }
}
