package org.lotusia.p2p.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.MessageAuthenticator;
import org.lotusia.p2p.protocol.MessageStreamDecoder;
import org.lotusia.p2p.protocol.P2PMessage;

/** Inbound message checks and the ban escalation, each tested as an attack. */
class MessageAttackTest {

  final MutableClock clock = new MutableClock(Fixtures.T0);
  final Fixtures.Recorder events = new Fixtures.Recorder();
  final CoreSecurityManager manager = CoreSecurityManager.builder().clock(clock).build();

  {
    manager.addListener(events);
  }

  @Test
  void oversizedStreamIsAbortedAndThePeerWarned() {
    MessageStreamDecoder decoder = manager.newStreamDecoder();
    byte[] chunk = new byte[4096];
    Arrays.fill(chunk, (byte) ' ');
    chunk[0] = '{';
    DecodeResult r = null;
    while (r == null) {
      r = decoder.onData(chunk);
    }
    assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(100_000);
    SecurityDecision d = manager.checkMessage("attacker", r);
    assertThat(d.reason()).isEqualTo(RejectReason.MESSAGE_OVERSIZED);
    assertThat(d.detail()).contains("too large");
    assertThat(manager.warningCount("attacker")).isEqualTo(1);
    assertThat(events.events)
        .containsExactly(new SecurityEvent.PeerWarned("attacker", 1, "oversized-message"));
    assertThat(manager.getMetrics().messages())
        .isEqualTo(new CoreSecurityMetrics.Messages(1, 1, 1));
  }

  @Test
  void configuredSizeLimitIsTheDecoderCap() {
    CoreSecurityManager small =
        CoreSecurityManager.builder()
            .clock(clock)
            .limits(SecurityLimits.builder().maxMessageSize(1000).build())
            .build();
    byte[] json =
        ("{\"type\":\"t\",\"from\":\"p\",\"timestamp\":"
                + Fixtures.T0
                + ",\"messageId\":\"m\",\"payload\":\""
                + "x".repeat(1000)
                + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(small.checkMessage("p", json).decision().reason())
        .isEqualTo(RejectReason.MESSAGE_OVERSIZED);
    assertThat(manager.checkMessage("p", json).accepted()).isTrue();
  }

  @Test
  void malformedAndInvalidMessagesWarnWithTheirReasons() {
    assertThat(
            manager
                .checkMessage("p", "{not json".getBytes(StandardCharsets.UTF_8))
                .decision()
                .reason())
        .isEqualTo(RejectReason.MESSAGE_MALFORMED);
    P2PMessage stale = Fixtures.message("p", "m1", Fixtures.T0 - 300_001, null);
    SecurityDecision d = manager.checkMessage("p", Fixtures.decoded(stale));
    assertThat(d.reason()).isEqualTo(RejectReason.MESSAGE_INVALID);
    assertThat(d.detail()).contains("in the past");
    assertThat(events.of(SecurityEvent.PeerWarned.class))
        .extracting(SecurityEvent.PeerWarned::reason)
        .containsExactly("malformed-message", "invalid-message-format");
    // Empty streams are ignored silently, as in lotus-sdk.
    assertThat(manager.checkMessage("p", new byte[0]).decision().reason())
        .isEqualTo(RejectReason.MESSAGE_EMPTY);
    assertThat(manager.warningCount("p")).isEqualTo(2);
  }

  @Test
  void repeatedViolationsEscalateToTemporaryThenPermanentBan() {
    for (int i = 1; i <= 5; i++) {
      manager.checkMessage("bad", "x".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(events.of(SecurityEvent.PeerTempBanned.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.duration()).isEqualTo(Duration.ofHours(1));
              assertThat(e.reason()).isEqualTo("repeated-warnings");
            });
    // While banned, messages and connections are refused without more warnings.
    P2PMessage fine = Fixtures.message("bad", "ok-1", Fixtures.T0, null);
    assertThat(manager.checkMessage("bad", Fixtures.decoded(fine)).reason())
        .isEqualTo(RejectReason.PEER_TEMP_BANNED);
    assertThat(manager.checkConnection("bad").reason()).isEqualTo(RejectReason.PEER_TEMP_BANNED);
    MessageCheck raw = manager.checkMessage("bad", "garbage".getBytes(StandardCharsets.UTF_8));
    assertThat(raw.decision().reason()).isEqualTo(RejectReason.PEER_TEMP_BANNED);
    assertThat(raw.message()).isNull();
    assertThat(manager.warningCount("bad")).isEqualTo(5);
    // The temporary ban expires.
    clock.advance(Duration.ofMinutes(59));
    assertThat(manager.isAllowed("bad")).isFalse();
    clock.advance(Duration.ofMinutes(1));
    assertThat(manager.isAllowed("bad")).isTrue();
    P2PMessage later = Fixtures.message("bad", "ok-2", clock.millis(), null);
    assertThat(manager.checkMessage("bad", Fixtures.decoded(later)).accepted()).isTrue();
    // Warnings are remembered: the next violations ban again, the 10th bans permanently.
    for (int i = 6; i <= 10; i++) {
      clock.advance(Duration.ofHours(2));
      manager.checkMessage("bad", "x".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(events.of(SecurityEvent.PeerTempBanned.class)).hasSize(5);
    assertThat(events.of(SecurityEvent.PeerBanned.class))
        .containsExactly(new SecurityEvent.PeerBanned("bad", "excessive-warnings"));
    clock.advance(Duration.ofDays(365));
    assertThat(manager.isAllowed("bad")).isFalse();
    assertThat(manager.getBannedPeers()).containsExactly("bad");
    assertThat(manager.checkConnection("bad").reason()).isEqualTo(RejectReason.PEER_BANNED);
    // Unban clears everything.
    assertThat(manager.unbanPeer("bad")).isTrue();
    assertThat(events.events.get(events.events.size() - 1))
        .isEqualTo(new SecurityEvent.PeerUnbanned("bad"));
    assertThat(manager.isAllowed("bad")).isTrue();
    assertThat(manager.warningCount("bad")).isZero();
    assertThat(manager.unbanPeer("bad")).isFalse();
  }

  @Test
  void escalationThresholdsAreConfigurable() {
    CoreSecurityManager m =
        CoreSecurityManager.builder()
            .clock(clock)
            .limits(
                SecurityLimits.builder()
                    .warningsBeforeTempBan(2)
                    .warningsBeforeBan(3)
                    .tempBanDuration(Duration.ofSeconds(5))
                    .build())
            .build();
    m.warnPeer("p", "test");
    assertThat(m.isAllowed("p")).isTrue();
    m.warnPeer("p", "test");
    assertThat(m.isAllowed("p")).isFalse();
    clock.advance(Duration.ofSeconds(5));
    assertThat(m.isAllowed("p")).isTrue();
    m.warnPeer("p", "test");
    assertThat(m.getBannedPeers()).containsExactly("p");
  }

  @Test
  void invalidMessageLimitBansIndependentlyOfWarnings() {
    CoreSecurityManager m =
        CoreSecurityManager.builder()
            .clock(clock)
            .limits(
                SecurityLimits.builder()
                    .warningsBeforeTempBan(100)
                    .warningsBeforeBan(100)
                    .maxInvalidMessagesPerPeer(3)
                    .build())
            .build();
    m.addListener(events);
    for (int i = 0; i < 3; i++) {
      m.checkMessage("p", "[]".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(events.of(SecurityEvent.PeerBanned.class))
        .containsExactly(new SecurityEvent.PeerBanned("p", "excessive-invalid-messages"));
  }

  @Test
  void duplicatesAreDroppedWithoutWarning() {
    P2PMessage m = Fixtures.message("p", "dup", Fixtures.T0, null);
    assertThat(manager.checkMessage("p", Fixtures.decoded(m)).accepted()).isTrue();
    SecurityDecision again = manager.checkMessage("p", Fixtures.decoded(m));
    assertThat(again.reason()).isEqualTo(RejectReason.DUPLICATE);
    assertThat(manager.warningCount("p")).isZero();
    assertThat(manager.getMetrics().messages())
        .isEqualTo(new CoreSecurityMetrics.Messages(2, 0, 0));
  }

  @Test
  void messageValidatorRejectionIsCountedWithItsReason() {
    manager.registerProtocolValidator(
        "musig2",
        new ProtocolValidator() {
          @Override
          public boolean validateMessage(P2PMessage message, String fromPeerId) {
            return message.messageId().startsWith("good");
          }
        });
    assertThat(
            manager
                .checkMessage(
                    "p", Fixtures.decoded(Fixtures.message("p", "good-1", Fixtures.T0, "musig2")))
                .accepted())
        .isTrue();
    SecurityDecision d =
        manager.checkMessage(
            "p", Fixtures.decoded(Fixtures.message("p", "evil", Fixtures.T0, "musig2-v2")));
    assertThat(d.reason()).isEqualTo(RejectReason.VALIDATOR_REJECTED_MESSAGE);
    assertThat(d.detail()).contains("musig2-v2");
    assertThat(
            manager.getMetrics().rejectionsByReason().get(RejectReason.VALIDATOR_REJECTED_MESSAGE))
        .isEqualTo(1);
    assertThat(events.of(SecurityEvent.PeerWarned.class))
        .extracting(SecurityEvent.PeerWarned::reason)
        .containsExactly("invalid-protocol-message");
  }

  @Test
  void authenticatedModeRejectsSpoofedSendersBeforeDeduplication() {
    CoreSecurityManager m =
        CoreSecurityManager.builder()
            .clock(clock)
            .authenticator(MessageAuthenticator.senderBinding())
            .build();
    P2PMessage forged = Fixtures.message("alice", "alice-1", Fixtures.T0, null);
    assertThat(m.checkMessage("mallory", Fixtures.decoded(forged)).reason())
        .isEqualTo(RejectReason.SENDER_MISMATCH);
    assertThat(m.warningCount("mallory")).isEqualTo(1);
    // The forged copy did not poison the de-duplication cache.
    assertThat(m.checkMessage("alice", Fixtures.decoded(forged)).accepted()).isTrue();
    // lotus-sdk mode (default) accepts the spoof.
    assertThat(manager.checkMessage("mallory", Fixtures.decoded(forged)).accepted()).isTrue();
  }

  @Test
  void listenerFailuresDoNotBreakTheManager() {
    manager.addListener(
        e -> {
          throw new IllegalStateException("listener bug");
        });
    manager.warnPeer("p", "x");
    assertThat(events.events).hasSize(1);
    assertThat(manager.warningCount("p")).isEqualTo(1);
  }

  @Test
  void decodedResultsAboveTheLimitAreOversized() {
    P2PMessage m = Fixtures.message("p", "big", Fixtures.T0, null);
    SecurityDecision d = manager.checkMessage("p", new DecodeResult.Decoded(m, 100_001));
    assertThat(d.reason()).isEqualTo(RejectReason.MESSAGE_OVERSIZED);
    assertThat(List.of(manager.getMetrics().messages().oversized())).containsExactly(1L);
  }
}
