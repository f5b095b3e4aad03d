package org.lotusia.p2p.coordinator.resource;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;

/**
 * Fuzzes the value of a resource record as a DHT peer hands it over (a {@code PUT_VALUE} or a
 * {@code GET_VALUE} answer): the input is the record value; seeds are lotus-sdk's unsigned records
 * and records signed by an Ed25519 identity.
 *
 * <p>Contract: {@link ResourceCodec#decode} refuses only with an {@link IllegalArgumentException}
 * that says why; a decoded record re-encodes to JSON that decodes to the same record, and that
 * encoding is a fixed point; {@link ResourceSigner#verify} never throws; the record policy (what
 * Kad-DHT runs on every inbound record, under the record's own key) accepts or refuses with an
 * {@link IllegalArgumentException}, marks a record authenticated exactly when its signature
 * verifies, never accepts one whose signature does not, and its selection never throws and picks
 * an accepted record over a refused one.
 */
class ResourceRecordFuzzTest {

  static final long NOW = 1_795_235_650_903L;
  private static final ResourceRecordPolicy POLICY =
      new ResourceRecordPolicy(
          Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
          Duration.ofMinutes(5),
          Duration.ofHours(48));
  private static final byte[] REFUSED = "{}".getBytes(StandardCharsets.UTF_8);

  @FuzzTest(maxDuration = "30s")
  void recordValue(byte[] input) {
    check(input);
  }

  /** The seeds mean something: a signed seed is accepted and authenticated. */
  @Test
  void theSignedSeedIsAcceptedAndAuthenticated() throws IOException {
    byte[] seed;
    try (InputStream in =
        ResourceRecordFuzzTest.class.getResourceAsStream(
            "ResourceRecordFuzzTestInputs/recordValue/signed-ed25519")) {
      seed = in.readAllBytes();
    }
    ResourceAnnouncement accepted = check(seed);
    assertThat(accepted).isNotNull();
    assertThat(accepted.authenticated()).isTrue();
  }

  /** Checks one value; returns the record the policy accepted, or null. */
  static ResourceAnnouncement check(byte[] value) {
    ResourceAnnouncement a;
    try {
      a = ResourceCodec.decode(value);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      assertThat(POLICY.select("resource:t:i".getBytes(StandardCharsets.UTF_8), List.of(value)))
          .isZero();
      return null;
    }
    assertThat(a.authenticated()).as("nothing is authenticated by decoding").isFalse();
    byte[] encoded = ResourceCodec.encode(a);
    ResourceAnnouncement again = ResourceCodec.decode(encoded);
    assertThat(again).as("decode(encode(record))").isEqualTo(a);
    assertThat(ResourceCodec.encode(again)).as("encoding is a fixed point").isEqualTo(encoded);

    ResourceSigner.Verdict verdict = ResourceSigner.verify(a);
    byte[] key = ResourceCodec.keyBytes(a.resourceType(), a.resourceId());
    ResourceAnnouncement accepted;
    try {
      accepted = POLICY.check(key, value);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
      accepted = null;
    }
    if (accepted != null) {
      assertThat(verdict).isNotEqualTo(ResourceSigner.Verdict.INVALID);
      assertThat(accepted.authenticated()).isEqualTo(verdict == ResourceSigner.Verdict.VALID);
      assertThat(POLICY.select(key, List.of(REFUSED, value))).isEqualTo(1);
    } else {
      assertThat(POLICY.select(key, List.of(value, REFUSED))).isBetween(0, 1);
    }
    return accepted;
  }
}
