package org.lotusia.swapsig.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.coordinator.TopicMessageValidator.Verdict;
import org.lotusia.swapsig.wire.CanonicalJson;
import org.lotusia.swapsig.wire.MalformedSwapSigMessageException;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * Fuzzes a pool announcement as a peer publishes it on {@value SwapSigMessageTypes#POOL_TOPIC} or stores
 * it as the DHT resource {@code resource:swapsig-pool:<poolId>}: the input is the JSON a remote
 * sent. Seeds are announcements signed by {@link PoolAnnouncement#create}, with the default and
 * with unusual terms.
 *
 * <p>Contract: parsing refuses only with Jackson's {@link IOException}, and {@link
 * PoolAnnouncement#decode} only with a {@link MalformedSwapSigMessageException} that says why; a decoded
 * announcement encodes to JSON that decodes equal, and whose canonical bytes are a fixed point;
 * {@link PoolAnnouncement#verifySignature} never throws; the topic validator (its clock at the
 * announcement's creation time) answers for every author and accepts only an announcement whose
 * signature verifies and whose author is its creator.
 */
class PoolAnnouncementFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void announcementJson(byte[] input) {
    check(input);
  }

  /** The seeds mean something: each signed seed decodes, verifies and is accepted. */
  @Test
  void theSignedSeedsAreAccepted() throws IOException {
    for (String seed : new String[] {"signed-default", "signed-bounds"}) {
      try (InputStream in =
          PoolAnnouncementFuzzTest.class.getResourceAsStream(
              "PoolAnnouncementFuzzTestInputs/announcementJson/" + seed)) {
        assertThat(check(in.readAllBytes())).as(seed).isTrue();
      }
    }
  }

  /** Checks one input; returns whether the validator accepted it from its creator. */
  static boolean check(byte[] input) {
    PoolAnnouncement a = decode(input);
    Clock clock =
        Clock.fixed(Instant.ofEpochMilli(a == null ? 0 : a.createdAt()), ZoneOffset.UTC);
    PoolTopicValidator validator = new PoolTopicValidator(clock);
    String creator = a == null ? "12D3KooWcreator" : a.creatorPeerId();
    for (Optional<String> from :
        List.of(Optional.of(creator), Optional.of("12D3KooWother"), Optional.<String>empty())) {
      Verdict v =
          validator.validate(new TopicMessage(SwapSigMessageTypes.POOL_TOPIC, input, from, "12D3KooWrelay"));
      assertThat(v).isNotNull();
      if (v != Verdict.REJECT) {
        assertThat(a).as("only a well-formed announcement passes").isNotNull();
        assertThat(a.verifySignature()).as("only a verified signature passes").isTrue();
        assertThat(from).as("only its creator may publish it").contains(a.creatorPeerId());
      }
    }
    if (a == null) {
      return false;
    }
    JsonNode written = a.toJson();
    PoolAnnouncement again = PoolAnnouncement.decode(written);
    assertThat(again).as("decode(encode(a))").isEqualTo(a);
    assertThat(CanonicalJson.bytes(again.toJson(), null))
        .as("canonical JSON is a fixed point")
        .isEqualTo(CanonicalJson.bytes(written, null));
    assertThat(again.verifySignature()).isEqualTo(a.verifySignature());
    return validator.validate(
            new TopicMessage(SwapSigMessageTypes.POOL_TOPIC, input, Optional.of(creator), "12D3KooWrelay"))
        == Verdict.ACCEPT;
  }

  /** The announcement, or null when the input is refused as documented. */
  private static PoolAnnouncement decode(byte[] input) {
    JsonNode tree;
    try {
      tree = CanonicalJson.MAPPER.readTree(input);
    } catch (IOException e) {
      return null;
    }
    try {
      return PoolAnnouncement.decode(tree);
    } catch (MalformedSwapSigMessageException e) {
      assertThat(e.getMessage()).isNotBlank();
      return null;
    }
  }
}
