package org.lotusia.p2p.coordinator.resource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.lotusia.libp2p.protocol.kad.RecordSelector;
import org.lotusia.libp2p.protocol.kad.RecordValidator;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;

/**
 * The DHT validator and selector of {@code resource:<type>:<id>} records, installed on every node's
 * DHT so that every server and every reader applies the same rules.
 *
 * <p>Valid: a JSON announcement (see {@link ResourceCodec}) whose type and ID match the key, whose
 * signature, when present, verifies against its creator, that has not expired, that was not made
 * more than the clock-skew window in the future, and, when it never expires, that is younger than
 * the maximum record age (the owner re-signs it at each republish; a stale one is dropped as the
 * DHT drops any record after 48 hours). Unsigned lotus-sdk records are valid but lose to signed
 * ones.
 *
 * <p>Best: signed before unsigned, then the newest {@code createdAt}, then the latest {@code
 * expiresAt}, then the smallest bytes (so every node picks the same). A stale copy therefore never
 * replaces a newer one, and nobody but the creator can write a signed record in its name.
 *
 * <p>Stateless apart from the clock; thread-safe. Runs on the DHT's thread and must stay cheap: one
 * JSON parse and one signature check per value.
 */
public final class ResourceRecordPolicy implements RecordValidator, RecordSelector {

  private final Clock clock;
  private final long maxSkewMillis;
  private final long maxAgeMillis;

  /**
   * Creates the policy.
   *
   * @param clock time for expiry checks
   * @param maxClockSkew how far in the future {@code createdAt} may lie
   * @param maxRecordAge how old a record without expiry may be
   */
  public ResourceRecordPolicy(Clock clock, Duration maxClockSkew, Duration maxRecordAge) {
    this.clock = clock;
    this.maxSkewMillis = maxClockSkew.toMillis();
    this.maxAgeMillis = maxRecordAge.toMillis();
  }

  @Override
  public void validate(byte[] key, byte[] value) {
    check(key, value);
  }

  /**
   * Validates a record and returns it authenticated.
   *
   * @param key the record key
   * @param value the record value
   * @return the announcement
   * @throws IllegalArgumentException saying why the record is refused
   */
  public ResourceAnnouncement check(byte[] key, byte[] value) {
    ResourceAnnouncement a = ResourceSigner.authenticate(ResourceCodec.decode(value));
    String expected = a.key();
    if (!Arrays.equals(key, expected.getBytes(StandardCharsets.UTF_8))) {
      throw new IllegalArgumentException(
          "record for " + expected + " stored under another key");
    }
    long now = clock.millis();
    if (a.isExpired(now)) {
      throw new IllegalArgumentException(
          expected + " expired at " + a.expiresAt().getAsLong() + " (now " + now + ")");
    }
    if (a.createdAt() > now + maxSkewMillis) {
      throw new IllegalArgumentException(
          expected + " was created " + (a.createdAt() - now) + " ms in the future");
    }
    if (a.expiresAt().isPresent() && a.expiresAt().getAsLong() < a.createdAt()) {
      throw new IllegalArgumentException(expected + " expires before it was created");
    }
    if (a.expiresAt().isEmpty() && now - a.createdAt() > maxAgeMillis) {
      throw new IllegalArgumentException(
          expected + " has no expiry and is older than " + maxAgeMillis + " ms");
    }
    return a;
  }

  @Override
  public int select(byte[] key, List<byte[]> values) {
    int best = -1;
    ResourceAnnouncement bestRecord = null;
    for (int i = 0; i < values.size(); i++) {
      ResourceAnnouncement r;
      try {
        r = check(key, values.get(i));
      } catch (IllegalArgumentException e) {
        continue;
      }
      if (best < 0 || compare(r, values.get(i), bestRecord, values.get(best)) > 0) {
        best = i;
        bestRecord = r;
      }
    }
    return Math.max(best, 0);
  }

  /** Positive when {@code a} is better than {@code b}. */
  static int compare(ResourceAnnouncement a, byte[] aBytes, ResourceAnnouncement b, byte[] bBytes) {
    int c = Boolean.compare(a.authenticated(), b.authenticated());
    if (c == 0) {
      c = Long.compare(a.createdAt(), b.createdAt());
    }
    if (c == 0) {
      c = Long.compare(a.expiresAt().orElse(Long.MAX_VALUE), b.expiresAt().orElse(Long.MAX_VALUE));
    }
    if (c == 0) {
      c = -Arrays.compare(aBytes, bBytes);
    }
    return c;
  }

  /**
   * Whether {@code candidate} is better than {@code current} under this policy.
   *
   * @param candidate a valid announcement
   * @param current another valid announcement of the same key
   * @return true when the candidate should replace the current one
   */
  public static boolean isBetter(ResourceAnnouncement candidate, ResourceAnnouncement current) {
    return compare(
            candidate, ResourceCodec.encode(candidate), current, ResourceCodec.encode(current))
        > 0;
  }
}
