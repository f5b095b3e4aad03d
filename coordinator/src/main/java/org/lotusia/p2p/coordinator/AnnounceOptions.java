package org.lotusia.p2p.coordinator;

import java.time.Duration;
import java.time.Instant;

/**
 * Options of {@link P2PCoordinator#announceResource}: how long the announcement lives.
 *
 * <p>With a {@code ttl}, {@code expiresAt = createdAt + ttl} and the coordinator renews the
 * announcement (new {@code createdAt} and {@code expiresAt}, signed again) before it expires for as
 * long as it runs, so the resource disappears from the network within one {@code ttl} after its
 * owner stops. With {@code expiresAt} the announcement ends at that instant and is not renewed.
 * With neither it never expires (lotus-sdk's behaviour) and is re-published unchanged at the
 * configured interval.
 *
 * @param ttl lifetime of each renewal, or {@code null}
 * @param expiresAt fixed end, or {@code null}
 */
public record AnnounceOptions(Duration ttl, Instant expiresAt) {

  /** The shortest TTL: renewals every half TTL must respect the servers' 30 s re-announcement limit. */
  public static final Duration MIN_TTL = Duration.ofSeconds(60);

  /** No expiry. */
  public static final AnnounceOptions NONE = new AnnounceOptions(null, null);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when both are given or {@code ttl} is below {@link #MIN_TTL}
   */
  public AnnounceOptions {
    if (ttl != null && expiresAt != null) {
      throw new IllegalArgumentException("give either ttl or expiresAt, not both");
    }
    if (ttl != null && ttl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException(
          "ttl must be at least "
              + MIN_TTL
              + " (it is renewed every half ttl, and DHT servers refuse a resource announced again"
              + " within 30 s), got "
              + ttl);
    }
  }

  /**
   * An announcement renewed every half {@code ttl} while its owner runs.
   *
   * @param ttl the lifetime, at least {@link #MIN_TTL}
   * @return the options
   */
  public static AnnounceOptions ttl(Duration ttl) {
    return new AnnounceOptions(ttl, null);
  }

  /**
   * An announcement that ends at {@code expiresAt}.
   *
   * @param expiresAt the end
   * @return the options
   */
  public static AnnounceOptions until(Instant expiresAt) {
    return new AnnounceOptions(null, expiresAt);
  }
}
