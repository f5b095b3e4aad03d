package org.lotusia.p2p.coordinator.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.internal.Json;

class ResourceRecordsTest {

  private static final long NOW = 1_795_235_650_903L;
  private final Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
  private final ResourceRecordPolicy policy =
      new ResourceRecordPolicy(clock, Duration.ofMinutes(5), Duration.ofHours(48));
  private final IdentityPrivateKey key = Keys.generateEd25519();
  private final String self = PeerId.fromPublicKey(key.publicKey()).toBase58();

  private ResourceAnnouncement unsigned(String creator, long createdAt, Long expiresAt) {
    JsonNode data = Json.parse("{\"k\":\"v\",\"n\":1}".getBytes(StandardCharsets.UTF_8), "data");
    return new ResourceAnnouncement(
        "id-1",
        "test-type",
        creator,
        data,
        createdAt,
        expiresAt == null ? OptionalLong.empty() : OptionalLong.of(expiresAt),
        null,
        false);
  }

  private static byte[] key(ResourceAnnouncement a) {
    return a.key().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void unsignedRecordIsByteForByteLotusSdk() {
    // reference section 2.7: the value lotus-sdk's announceResource stores
    ResourceAnnouncement a = unsigned("12D3KooWSender", NOW, NOW + 60_000);
    assertThat(ResourceCodec.toJson(a))
        .isEqualTo(
            "{\"resourceId\":\"id-1\",\"resourceType\":\"test-type\",\"creatorPeerId\":\"12D3KooWSender\","
                + "\"data\":{\"k\":\"v\",\"n\":1},\"createdAt\":1795235650903,\"expiresAt\":1795235710903}");
    assertThat(ResourceCodec.decode(ResourceCodec.encode(a))).isEqualTo(a);
    assertThat(ResourceCodec.key("test-type", "id-1")).isEqualTo("resource:test-type:id-1");
  }

  @Test
  void signatureIsWrittenAsANodeBufferAndVerifies() {
    ResourceAnnouncement signed = ResourceSigner.sign(unsigned(self, NOW, null), key);
    String json = ResourceCodec.toJson(signed);
    assertThat(json).contains("\"signature\":{\"type\":\"Buffer\",\"data\":[");
    ResourceAnnouncement back = ResourceCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(back.authenticated()).isFalse();
    assertThat(ResourceSigner.verify(back)).isEqualTo(ResourceSigner.Verdict.VALID);
    assertThat(policy.check(key(back), ResourceCodec.encode(back)).authenticated()).isTrue();
  }

  @Test
  void signatureCoversDataIndependentlyOfMemberOrder() {
    ResourceAnnouncement signed = ResourceSigner.sign(unsigned(self, NOW, null), key);
    JsonNode reordered = Json.parse("{\"n\":1,\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8), "d");
    ResourceAnnouncement same =
        new ResourceAnnouncement(
            "id-1", "test-type", self, reordered, NOW, OptionalLong.empty(), signed.signature(), false);
    assertThat(ResourceSigner.verify(same)).isEqualTo(ResourceSigner.Verdict.VALID);
  }

  @Test
  void everyTamperedFieldBreaksTheSignature() {
    ResourceAnnouncement s = ResourceSigner.sign(unsigned(self, NOW, NOW + 60_000), key);
    JsonNode other = Json.parse("{\"k\":\"w\",\"n\":1}".getBytes(StandardCharsets.UTF_8), "d");
    List<ResourceAnnouncement> tampered =
        List.of(
            new ResourceAnnouncement("id-2", "test-type", self, s.data(), NOW, s.expiresAt(), s.signature(), false),
            new ResourceAnnouncement("id-1", "other", self, s.data(), NOW, s.expiresAt(), s.signature(), false),
            new ResourceAnnouncement("id-1", "test-type", self, other, NOW, s.expiresAt(), s.signature(), false),
            new ResourceAnnouncement("id-1", "test-type", self, s.data(), NOW + 1, s.expiresAt(), s.signature(), false),
            new ResourceAnnouncement(
                "id-1", "test-type", self, s.data(), NOW, OptionalLong.of(NOW + 90_000), s.signature(), false),
            new ResourceAnnouncement(
                "id-1", "test-type", self, s.data(), NOW, OptionalLong.empty(), s.signature(), false));
    for (ResourceAnnouncement t : tampered) {
      assertThat(ResourceSigner.verify(t)).as(t.toString()).isEqualTo(ResourceSigner.Verdict.INVALID);
      assertThatThrownBy(() -> policy.check(key(t), ResourceCodec.encode(t)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("does not verify");
    }
  }

  @Test
  void aRecordInAnotherPeersNameIsRefused() {
    String victim = PeerId.fromPublicKey(Keys.generateEd25519().publicKey()).toBase58();
    assertThatThrownBy(() -> ResourceSigner.sign(unsigned(victim, NOW, null), key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be signed by the key of " + self);
    // forged: signed by our key but claiming the victim as creator
    ResourceAnnouncement mine = ResourceSigner.sign(unsigned(self, NOW, null), key);
    ResourceAnnouncement forged =
        new ResourceAnnouncement(
            "id-1", "test-type", victim, mine.data(), NOW, OptionalLong.empty(), mine.signature(), false);
    assertThatThrownBy(() -> policy.check(key(forged), ResourceCodec.encode(forged)))
        .hasMessageContaining("does not verify for creator " + victim);
  }

  @Test
  void policyRefusesExpiredFutureMisplacedAndStaleRecords() {
    ResourceAnnouncement expired = ResourceSigner.sign(unsigned(self, NOW - 10_000, NOW - 1), key);
    assertThatThrownBy(() -> policy.check(key(expired), ResourceCodec.encode(expired)))
        .hasMessageContaining("expired");
    ResourceAnnouncement future = ResourceSigner.sign(unsigned(self, NOW + 600_000, null), key);
    assertThatThrownBy(() -> policy.check(key(future), ResourceCodec.encode(future)))
        .hasMessageContaining("in the future");
    ResourceAnnouncement stale =
        ResourceSigner.sign(unsigned(self, NOW - Duration.ofHours(49).toMillis(), null), key);
    assertThatThrownBy(() -> policy.check(key(stale), ResourceCodec.encode(stale)))
        .hasMessageContaining("older than");
    ResourceAnnouncement ok = ResourceSigner.sign(unsigned(self, NOW, null), key);
    assertThatThrownBy(
            () -> policy.check("resource:test-type:id-2".getBytes(StandardCharsets.UTF_8), ResourceCodec.encode(ok)))
        .hasMessageContaining("stored under another key");
    assertThatThrownBy(() -> policy.check(key(ok), "{\"resourceId\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resourceId");
  }

  @Test
  void unsignedLotusSdkRecordsAreReadButNotAuthenticated() {
    ResourceAnnouncement lotus = unsigned("12D3KooWSender", NOW, NOW + 60_000);
    ResourceAnnouncement read = policy.check(key(lotus), ResourceCodec.encode(lotus));
    assertThat(read.authenticated()).isFalse();
  }

  @Test
  void selectorPrefersSignedThenNewest() {
    byte[] oldSigned = ResourceCodec.encode(ResourceSigner.sign(unsigned(self, NOW - 5000, null), key));
    byte[] newSigned = ResourceCodec.encode(ResourceSigner.sign(unsigned(self, NOW - 1000, null), key));
    byte[] newestUnsigned = ResourceCodec.encode(unsigned(self, NOW, null));
    byte[] garbage = "not json".getBytes(StandardCharsets.UTF_8);
    byte[] k = "resource:test-type:id-1".getBytes(StandardCharsets.UTF_8);
    assertThat(policy.select(k, List.of(oldSigned, newSigned))).isEqualTo(1);
    assertThat(policy.select(k, List.of(newSigned, oldSigned))).isEqualTo(0);
    assertThat(policy.select(k, List.of(newestUnsigned, oldSigned))).isEqualTo(1);
    assertThat(policy.select(k, List.of(garbage, oldSigned))).isEqualTo(1);
  }

  @Test
  void typesAndIdsThatJsWouldMisreadAreRefused() {
    assertThatThrownBy(() -> ResourceCodec.checkTypeAndId("a/b", "1"))
        .hasMessageContaining("must not contain '/'");
    assertThatThrownBy(() -> ResourceCodec.checkTypeAndId("", "1"))
        .hasMessageContaining("resource type must have 1 to 128 characters");
    assertThatThrownBy(() -> ResourceCodec.checkTypeAndId("t", "x".repeat(257)))
        .hasMessageContaining("resource ID must have 1 to 256 characters");
  }

  @Test
  void hexSignaturesAreAcceptedOnInput() {
    ResourceAnnouncement s = ResourceSigner.sign(unsigned(self, NOW, null), key);
    String hex = java.util.HexFormat.of().formatHex(s.signature());
    String json = ResourceCodec.toJson(unsigned(self, NOW, null));
    json = json.substring(0, json.length() - 1) + ",\"signature\":\"" + hex + "\"}";
    ResourceAnnouncement back = ResourceCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(ResourceSigner.verify(back)).isEqualTo(ResourceSigner.Verdict.VALID);
  }

  /**
   * Found by {@code ResourceRecordFuzzTest} (kept in its corpus): {@code 2.0} in the data was kept
   * as a double, written back as {@code 2} (as JSON.stringify does), and decoded as another record.
   */
  @Test
  void dataIsDecodedAsAJsPeerHoldsItSoARecordEqualsItsEncodedForm() {
    String json =
        "{\"resourceId\":\"id-1\",\"resourceType\":\"test-type\",\"creatorPeerId\":\"12D3KooWSender\","
            + "\"data\":{\"n\":1.0,\"list\":[2.0,0.50,1e400]},\"createdAt\":1795235650903}";
    ResourceAnnouncement a = ResourceCodec.decode(json.getBytes(StandardCharsets.UTF_8));
    assertThat(ResourceCodec.toJson(a)).contains("\"data\":{\"n\":1,\"list\":[2,0.5,null]}");
    assertThat(a.data().get("n").isIntegralNumber()).isTrue();
    assertThat(ResourceCodec.decode(ResourceCodec.encode(a))).isEqualTo(a);
  }
}
