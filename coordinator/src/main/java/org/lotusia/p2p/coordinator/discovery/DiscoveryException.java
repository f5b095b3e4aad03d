package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;

/**
 * A discovery operation could not be done (lotus-sdk's {@code DiscoveryError}); {@link #type()}
 * says why. Caller mistakes (invalid values) are {@link IllegalArgumentException}s instead.
 */
public class DiscoveryException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why an operation failed (a subset of lotus-sdk's {@code DiscoveryErrorType}). */
  public enum Type {
    /** The advertisement is not (or no longer) advertised by this node. */
    NOT_ACTIVE,
    /** This node's own advertisement rate limit is reached; the message says when a slot frees. */
    RATE_LIMIT_EXCEEDED,
    /** Publishing on GossipSub or in the DHT failed (see {@link AdvertisementPublishException}). */
    PUBLISH_FAILED,
    /** The discovery system was closed. */
    CLOSED
  }

  private final Type type;

  /**
   * Creates an exception.
   *
   * @param type why
   * @param message what happened
   * @param cause the underlying failure, or {@code null}
   */
  public DiscoveryException(Type type, String message, Throwable cause) {
    super(message, cause);
    this.type = Objects.requireNonNull(type, "type");
  }

  /**
   * Why the operation failed.
   *
   * @return the type
   */
  public Type type() {
    return type;
  }
}
