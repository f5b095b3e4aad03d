package org.lotusia.p2p.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One announced resource: lotus-sdk's {@code ResourceAnnouncement}, stored in the DHT under {@code
 * resource:<type>:<id>} as the UTF-8 JSON {@code {"resourceId","resourceType","creatorPeerId",
 * "data","createdAt","expiresAt","signature"}} (absent fields omitted).
 *
 * <p>lotus-sdk defines {@code signature} and never fills it; this SDK signs every announcement with
 * the creator's libp2p identity key (see docs/COMPATIBILITY.md). A record read from the network is
 * {@link #authenticated()} when its signature verified against {@code creatorPeerId}; an unsigned
 * lotus-sdk record is accepted but not authenticated, and a record whose signature does not verify
 * is refused before it ever becomes an instance of this type.
 *
 * <p>Immutable apart from {@code data}, a Jackson tree the record takes ownership of: callers must
 * not modify it afterwards.
 *
 * @param resourceId the resource ID (no {@code /}, 1 to 256 characters)
 * @param resourceType the resource type (no {@code /}, 1 to 128 characters)
 * @param creatorPeerId the announcing peer
 * @param data the resource's data, any JSON value
 * @param createdAt when the announcement was made, ms since the epoch
 * @param expiresAt when it expires, ms since the epoch; empty for never
 * @param signature the creator's signature, or {@code null} for an unsigned lotus-sdk record
 * @param authenticated whether the signature was verified against {@code creatorPeerId}
 */
public record ResourceAnnouncement(
    String resourceId,
    String resourceType,
    String creatorPeerId,
    JsonNode data,
    long createdAt,
    OptionalLong expiresAt,
    byte[] signature,
    boolean authenticated) {

  /** Checks for nulls and copies the signature. */
  public ResourceAnnouncement {
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(creatorPeerId, "creatorPeerId");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(expiresAt, "expiresAt");
    signature = signature == null ? null : signature.clone();
  }

  /**
   * The DHT key string: {@code resource:<type>:<id>}.
   *
   * @return the key
   */
  public String key() {
    return "resource:" + resourceType + ":" + resourceId;
  }

  /**
   * A copy of the signature, or {@code null}.
   *
   * @return the signature bytes
   */
  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /**
   * Whether the announcement has expired at {@code nowMillis}.
   *
   * @param nowMillis the current time, ms since the epoch
   * @return true when {@code expiresAt <= now}
   */
  public boolean isExpired(long nowMillis) {
    return expiresAt.isPresent() && expiresAt.getAsLong() <= nowMillis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResourceAnnouncement r
        && resourceId.equals(r.resourceId)
        && resourceType.equals(r.resourceType)
        && creatorPeerId.equals(r.creatorPeerId)
        && data.equals(r.data)
        && createdAt == r.createdAt
        && expiresAt.equals(r.expiresAt)
        && Arrays.equals(signature, r.signature)
        && authenticated == r.authenticated;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key(), creatorPeerId, createdAt);
  }

  @Override
  public String toString() {
    return "ResourceAnnouncement["
        + key()
        + " by "
        + creatorPeerId
        + ", createdAt="
        + createdAt
        + (expiresAt.isPresent() ? ", expiresAt=" + expiresAt.getAsLong() : "")
        + (authenticated ? ", authenticated" : signature == null ? ", unsigned" : "")
        + "]";
  }
}
