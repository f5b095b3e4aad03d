package org.lotusia.p2p.security.howto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lotusia.p2p.protocol.MessageStreamEncoder;
import org.lotusia.p2p.security.RejectReason;
// howto:begin security-imports
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.MessageAuthenticator;
import org.lotusia.p2p.protocol.MessageStreamDecoder;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.security.CoreSecurityManager;
import org.lotusia.p2p.security.CoreSecurityMetrics;
import org.lotusia.p2p.security.ProtocolValidator;
import org.lotusia.p2p.security.SecurityDecision;
import org.lotusia.p2p.security.SecurityEvent;
import org.lotusia.p2p.security.SecurityLimits;
// howto:end security-imports

/**
 * The examples of docs/HOWTO.md for the security module, compiled and run. The regions between the
 * {@code howto:begin} and {@code howto:end} markers are compared with the document. The test lives
 * outside the module's package so that the imports shown are exactly the ones a user needs.
 */
class HowToExamplesTest {

  private static final String PEER = "12D3KooWQYhTNQdmr3ArTeUHRYzFg94BKyTkoWBDWez9kSCVe2Xo";

  @Test
  void configureAndCheckInboundEvents() throws Exception {
    // howto:begin security-configure
    Clock clock = Clock.systemUTC(); // tests pass a clock they can step
    ExecutorService callbackExecutor = Executors.newSingleThreadExecutor(); // shut it down at the end
    List<String> disconnected = new CopyOnWriteArrayList<>(); // written by the listener's thread

    CoreSecurityManager security = CoreSecurityManager.builder()
        .limits(SecurityLimits.builder() // lotus-sdk's values are the defaults
            .maxMessageSize(100_000)
            .minDhtAnnouncementInterval(Duration.ofSeconds(30))
            .maxDhtResourcesPerPeer(100)
            .maxDhtResourcesPerTypePerPeer(20)
            .warningsBeforeTempBan(5)
            .warningsBeforeBan(10)
            .tempBanDuration(Duration.ofHours(1))
            .messageRatePerSecond(50) // per-peer token buckets (not in lotus-sdk)
            .messageBurst(100)
            .topicMessageRatePerSecond(50) // per author
            .topicMessageBurst(100)
            .announcementRatePerMinute(60) // across all of a peer's resources
            .announcementBurst(20)
            .build())
        .clock(clock)
        .authenticator(MessageAuthenticator.disabled()) // lotus-sdk behaviour; see senderBinding()
        .eventExecutor(callbackExecutor) // where listeners run
        .build();

    security.registerProtocolValidator("chat", new ProtocolValidator() {
      @Override
      public boolean validateMessage(P2PMessage m, String fromPeerId) {
        return m.payload() != null && m.payload().has("text");
      }
    });
    security.addListener(event -> {
      if (event instanceof SecurityEvent.PeerBanned banned) {
        disconnected.add(banned.peerId()); // e.g. close the peer's connections
      }
    });
    // howto:end security-configure

    P2PMessage sent = security.protocol().createMessage(
        "chat-message",
        JsonNodeFactory.instance.objectNode().put("text", "hi"),
        PEER, null, "chat", null);
    byte[] chunk = new MessageStreamEncoder(security.protocol()).encode(sent);
    String remotePeerId = PEER;
    String resourceType = "musig2-session";
    String resourceId = "s1";
    String author = PEER;
    String topic = "lotus/chat";
    byte[] data = chunk;
    // howto:begin security-check
    // In the connection gater:
    SecurityDecision c = security.checkConnection(remotePeerId);

    // For each inbound /lotus/message/1.0.0 stream:
    MessageStreamDecoder decoder = security.newStreamDecoder(); // capped at maxMessageSize
    DecodeResult r = decoder.onData(chunk);
    if (r == null) {
      r = decoder.onEndOfStream();
    }
    SecurityDecision m = security.checkMessage(remotePeerId, r);
    if (!m.accepted()) {
      // m.reason() (a RejectReason) and m.detail() say why; warnings and bans are already applied
    }

    // For each GossipSub message, after its signature is checked (author null if unsigned):
    SecurityDecision t = security.checkTopicMessage(remotePeerId, author, topic, data.length);

    // For each resource announcement:
    SecurityDecision a = security.checkResourceAnnouncement(
        remotePeerId, resourceType, resourceId, /* data */ null);

    // Periodically (every dhtCleanupInterval, 5 minutes by default):
    security.cleanup();
    CoreSecurityMetrics metrics = security.getMetrics();
    // howto:end security-check

    assertThat(c.accepted()).isTrue();
    assertThat(m.accepted()).isTrue();
    assertThat(a.accepted()).isTrue();
    assertThat(t.accepted()).isTrue();
    assertThat(metrics.topicMessages().total()).isEqualTo(1);
    assertThat(metrics.messages().total()).isEqualTo(1);
    assertThat(security.checkMessage(remotePeerId, new DecodeResult.Decoded(sent, chunk.length)))
        .isEqualTo(SecurityDecision.reject(RejectReason.DUPLICATE, security.checkMessage(
            remotePeerId, new DecodeResult.Decoded(sent, chunk.length)).detail()));
    security.banPeer(PEER, "test");
    callbackExecutor.shutdown(); // runs the listener's pending events first
    assertThat(callbackExecutor.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(disconnected).containsExactly(PEER);
    assertThat(security.getBannedPeers()).isEqualTo(Set.of(PEER));
    assertThat(security.checkConnection(PEER).reason()).isEqualTo(RejectReason.PEER_BANNED);
  }
}
