package org.lotusia.libp2p;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the WebSocket transport ({@link org.lotusia.libp2p.stack.Transports#websocket(WebSocketOptions)}). Every limit
 * protects a listener or a dialer against a peer that sends too much or too slowly; breaking one
 * closes only the offending connection.
 *
 * @param maxFrameSize largest payload of one received WebSocket frame in bytes, at least 64 KiB; a
 *     bigger frame closes the connection with status 1009 (message too big). js-libp2p sends one
 *     frame per Noise message (at most 65535 bytes) and this transport sends frames of at most 64
 *     KiB, so any allowed value works with both; the default is 1 MiB
 * @param maxHttpRequestSize largest HTTP upgrade request (request line plus headers) a listener
 *     accepts, and largest upgrade response a dialer accepts, in bytes; default 8 KiB
 * @param upgradeTimeout time from TCP connect to a completed HTTP upgrade; a peer that is slower is
 *     disconnected; a dial uses the shorter of this and its dial timeout; default 10 s
 * @param maxPendingUpgrades inbound connections per listener that may be in the HTTP upgrade at
 *     once; more are closed on accept; default 256
 */
public record WebSocketOptions(
    int maxFrameSize, int maxHttpRequestSize, Duration upgradeTimeout, int maxPendingUpgrades) {

  /** The smallest allowed {@link #maxFrameSize}: the largest frame peers send, 64 KiB. */
  public static final int MIN_FRAME_SIZE = 64 * 1024;

  /** The defaults: 1 MiB frames, 8 KiB upgrade requests, 10 s upgrade timeout, 256 pending. */
  public static final WebSocketOptions DEFAULT =
      new WebSocketOptions(1024 * 1024, 8 * 1024, Duration.ofSeconds(10), 256);

  /** Validates the limits. */
  public WebSocketOptions {
    if (maxFrameSize < MIN_FRAME_SIZE) {
      throw new IllegalArgumentException(
          "maxFrameSize must be at least " + MIN_FRAME_SIZE + " (64 KiB): " + maxFrameSize);
    }
    if (maxHttpRequestSize < 1024) {
      throw new IllegalArgumentException(
          "maxHttpRequestSize must be at least 1024: " + maxHttpRequestSize);
    }
    Objects.requireNonNull(upgradeTimeout, "upgradeTimeout");
    if (upgradeTimeout.isNegative() || upgradeTimeout.isZero()) {
      throw new IllegalArgumentException("upgradeTimeout must be positive: " + upgradeTimeout);
    }
    if (maxPendingUpgrades < 1) {
      throw new IllegalArgumentException(
          "maxPendingUpgrades must be positive: " + maxPendingUpgrades);
    }
  }

  /** A copy with another frame size limit. */
  public WebSocketOptions withMaxFrameSize(int bytes) {
    return new WebSocketOptions(bytes, maxHttpRequestSize, upgradeTimeout, maxPendingUpgrades);
  }

  /** A copy with another HTTP upgrade request size limit. */
  public WebSocketOptions withMaxHttpRequestSize(int bytes) {
    return new WebSocketOptions(maxFrameSize, bytes, upgradeTimeout, maxPendingUpgrades);
  }

  /** A copy with another upgrade timeout. */
  public WebSocketOptions withUpgradeTimeout(Duration timeout) {
    return new WebSocketOptions(maxFrameSize, maxHttpRequestSize, timeout, maxPendingUpgrades);
  }

  /** A copy with another limit of inbound connections in the upgrade. */
  public WebSocketOptions withMaxPendingUpgrades(int count) {
    return new WebSocketOptions(maxFrameSize, maxHttpRequestSize, upgradeTimeout, count);
  }
}
