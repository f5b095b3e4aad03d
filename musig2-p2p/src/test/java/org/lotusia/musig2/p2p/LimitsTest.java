package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.lotusia.musig2.p2p.sim.Forger;
import org.lotusia.musig2.p2p.sim.SimCluster;
import org.lotusia.musig2.p2p.wire.NonceShare;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.lotusia.p2p.protocol.JsJsonWriter;

/** Every limit of {@link SessionConfig}, pushed past by the network or the caller. */
class LimitsTest {

  static final Duration LONG = Duration.ofMinutes(30);

  static <T> T await(SimCluster c, CompletableFuture<T> f) {
    c.net.time().runUntil(f::isDone, Duration.ofSeconds(5));
    return f.join();
  }

  static <T> Throwable failure(SimCluster c, CompletableFuture<T> f) {
    c.net.time().runUntil(f::isDone, Duration.ofSeconds(5));
    assertThat(f).isCompletedExceptionally();
    return f.handle((v, e) -> e instanceof java.util.concurrent.CompletionException ? e.getCause() : e)
        .join();
  }

  @Test
  void sessionsInProgressAreLimitedInTotalAndPerCreator() {
    SessionConfig cfg = SessionConfig.builder().maxSessions(2).maxSessionsPerPeer(1).build();
    SimCluster c = new SimCluster(3, 41, cfg).manualJoin();
    byte[] m = SessionRoundTripTest.message(1);
    SessionHandle a = c.create(0, m, SessionOptions.defaults());
    SessionHandle b = c.create(0, m, SessionOptions.defaults());
    assertThat(failure(c, c.managers.get(0).create(c.publicKeys, c.keys.get(0), m,
        SessionOptions.defaults()))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("SessionConfig.maxSessions");
    await(c, c.managers.get(1).join(a.announcement(), c.keys.get(1)));
    assertThat(failure(c, c.managers.get(1).join(b.announcement(), c.keys.get(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("created by peer peer-0").hasMessageContaining("maxSessionsPerPeer");
  }

  @Test
  void theInboundQueueRefusesBeyondItsBoundWithoutLosingWhatItAccepted() {
    SessionConfig cfg = SessionConfig.builder().maxInboundQueue(4).build();
    SimCluster c = new SimCluster(2, 42, cfg);
    List<Boolean> accepted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      accepted.add(c.managers.get(1).deliverTopic(SessionAnnouncement.TOPIC, "x", new byte[] {'{'}));
    }
    assertThat(accepted).containsExactly(true, true, true, true, false, false, false, false, false,
        false);
    assertThat(c.managers.get(1).metrics().inboundRefused()).isEqualTo(6);
    c.net.time().advance(Duration.ofSeconds(1));
    assertThat(c.events(1, SessionEvent.MessageRejected.class)).hasSize(4);
    // once drained, the queue accepts again and a session still completes
    byte[] m = SessionRoundTripTest.message(2);
    SessionHandle h = c.create(0, m, SessionOptions.defaults());
    assertThat(c.runUntilAllFinished(h.sessionId(), LONG)).isTrue();
  }

  @Test
  void badAnnouncementsFromTheTopicAreRefused() {
    SessionConfig small = SessionConfig.builder().maxSigners(3).maxDiscovered(10, 2).build();
    SimCluster c = new SimCluster(4, 43, SessionConfig.builder().maxSessions(10).build())
        .manualJoin();
    // node 3 restarts with stricter limits
    SimCluster strict = new SimCluster(4, 43, small).manualJoin();
    byte[] m = SessionRoundTripTest.message(3);
    SessionHandle four = c.create(0, m, SessionOptions.defaults());
    SessionAnnouncement a = four.announcement();
    SessionManager r = strict.managers.get(1);
    byte[] good = bytes(a.toJson());
    // more signers than this node accepts
    r.deliverTopic(SessionAnnouncement.TOPIC, "peer-0", good);
    // published by someone else than its creator
    r.deliverTopic(SessionAnnouncement.TOPIC, "peer-9", good);
    a = c.create(0, c.publicKeys.subList(0, 3), m, SessionOptions.defaults()).announcement();
    // unsigned lotus-sdk form
    ObjectNode unsigned = a.toJson();
    unsigned.remove("signature");
    r.deliverTopic(SessionAnnouncement.TOPIC, "peer-0", bytes(unsigned));
    // tampered message
    ObjectNode tampered = a.toJson();
    tampered.put("expiresAt", a.expiresAt() + 1);
    r.deliverTopic(SessionAnnouncement.TOPIC, "peer-0", bytes(tampered));
    // too large
    r.deliverTopic(SessionAnnouncement.TOPIC, "peer-0", new byte[70_000]);
    strict.net.time().advance(Duration.ofSeconds(1));
    List<SessionEvent.MessageRejected> rej = strict.events(1, SessionEvent.MessageRejected.class);
    // what is provably forged or malformed is a violation; what an honest node may send (more
    // signers than this node's limit, lotus-sdk's unsigned form) is refused without blame
    assertThat(rej).hasSize(5).extracting(SessionEvent.MessageRejected::violation)
        .containsExactly(false, true, false, true, true);
    assertThat(rej.get(0).reason()).contains("outside the accepted [2, 3]");
    assertThat(rej.get(1).reason()).contains("names another creator, peer-0");
    assertThat(rej.get(2).reason()).contains("unsigned (lotus-sdk form)");
    assertThat(rej.get(3).reason()).contains("signature does not verify");
    assertThat(rej.get(4).reason()).contains("70000 bytes exceed the limit of 65536 bytes");
    assertThat(strict.events(1, SessionEvent.SessionDiscovered.class)).isEmpty();
  }

  static byte[] bytes(ObjectNode o) {
    return JsJsonWriter.write(o).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void discoveredAnnouncementsAreBoundedPerPublisher() {
    SessionConfig cfg = SessionConfig.builder().maxSessions(10).maxDiscovered(10, 2).build();
    SimCluster c = new SimCluster(2, 44, cfg).manualJoin();
    for (int i = 0; i < 3; i++) {
      c.create(0, SessionRoundTripTest.message(10 + i), SessionOptions.defaults());
    }
    c.net.time().advance(Duration.ofSeconds(1));
    assertThat(c.events(1, SessionEvent.SessionDiscovered.class)).hasSize(2);
    assertThat(c.events(1, SessionEvent.MessageRejected.class)).singleElement()
        .satisfies(e -> {
          assertThat(e.violation()).isFalse();
          assertThat(e.reason()).contains("more than 2 announcements of one peer");
        });
  }

  @Test
  void earlyMessagesAreHeldOnlyUpToTheLimit() {
    SessionConfig cfg = SessionConfig.builder().maxDeferredPerSigner(4).build();
    SimCluster c = new SimCluster(3, 45, cfg).manualJoin();
    SessionHandle h = c.create(0, SessionRoundTripTest.message(4), SessionOptions.defaults());
    c.putHandle(2, await(c, c.managers.get(2).join(h.announcement(), c.keys.get(2))));
    // node 2 waits for the participant list (node 1 has not joined); peer-1 floods it
    int signer1 = h.announcement().indexOf(c.publicKeys.get(1));
    long now = c.net.time().millis();
    byte[] nonce = ProtocolAttacksTest.nonceOf(7, 8);
    for (int i = 0; i < 10; i++) {
      c.net.inject("peer-1", "peer-2", Forger.seal("peer-1", c.keys.get(1),
          NonceShare.of(h.sessionId(), signer1, nonce, now), i, "e" + i, now));
    }
    c.net.time().advance(Duration.ofSeconds(1));
    assertThat(c.events(2, SessionEvent.MessageRejected.class)).hasSize(6)
        .allMatch(e -> e.reason().contains("more than 4 early messages of signer " + signer1));
  }

  @Test
  void theRelayBudgetBoundsWhatTheCreatorForwards() {
    SessionConfig cfg = SessionConfig.builder().relayBudgetPerTarget(0).build();
    SimCluster c = new SimCluster(3, 46, cfg);
    c.net.cut("peer-1", "peer-2");
    SessionHandle h = c.create(0, SessionRoundTripTest.message(5), SessionOptions.defaults());
    assertThat(c.runUntilAllFinished(h.sessionId(), LONG)).isTrue();
    assertThat(c.managers.get(0).metrics().relayed()).isZero();
    assertThat(c.events(0, SessionEvent.MessageRejected.class))
        .anyMatch(e -> e.reason().contains("relay budget"));
    assertThat(c.handle(1, h.sessionId()).result()).isCompletedExceptionally();
  }

  @Test
  void callerErrorsAreRefusedWithWhatIsAccepted() {
    SimCluster c = new SimCluster(2, 47);
    SessionManager m = c.managers.get(0);
    assertThatThrownBy(() -> m.create(c.publicKeys, c.keys.get(0), new byte[31],
        SessionOptions.defaults())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be 32 bytes");
    assertThatThrownBy(() -> m.create(List.of(c.publicKeys.get(0)), c.keys.get(0), new byte[32],
        SessionOptions.defaults())).hasMessageContaining("between 2 and 50 signers");
    ObjectNode big = WireJson.object();
    big.put("blob", "x".repeat(5000));
    assertThat(failure(c, m.create(c.publicKeys, c.keys.get(0), new byte[32],
        SessionOptions.builder().metadata(big).build())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata of");
    assertThat(failure(c, m.create(List.of(c.publicKeys.get(1), c.publicKeys.get(1)),
        c.keys.get(0), new byte[32], SessionOptions.defaults())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(failure(c, m.abort("00".repeat(16), "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no session");
  }
}
