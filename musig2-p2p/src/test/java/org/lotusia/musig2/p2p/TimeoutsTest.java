package org.lotusia.musig2.p2p;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lotusia.musig2.p2p.sim.SimCluster;
import org.lotusia.musig2.p2p.wire.MessageType;

/** Every phase's timeout really aborts, names who is missing, and clean-up leaves nothing. */
class TimeoutsTest {

  static final Duration LONG = Duration.ofMinutes(30);

  @Test
  void aSignerThatNeverJoinsIsNamedWhenTheJoinPhaseTimesOut() {
    SimCluster c = new SimCluster(3, 31);
    c.net.silence("peer-2");
    SessionHandle h = c.create(0, SessionRoundTripTest.message(1), SessionOptions.defaults());
    assertThat(c.runUntilFinished(h.sessionId(), List.of(0, 1), LONG)).isTrue();
    int missing = h.announcement().indexOf(c.publicKeys.get(2));
    AbortReason r = FaultsTest.abortReason(c, 0, h.sessionId());
    assertThat(r.code()).isEqualTo(AbortReason.Code.TIMEOUT);
    assertThat(r.culprits()).containsExactly(missing);
    assertThat(r.message()).contains("did not join");
    // the announcement expires after 5 min, before the 5 min join timeout could pass
    assertThat(c.net.time().millis() - h.announcement().createdAt())
        .isLessThanOrEqualTo(Duration.ofMinutes(5).toMillis() + 100);
  }

  @Test
  void joinersGiveUpWhenTheCreatorDisappears() {
    SimCluster c = new SimCluster(3, 32);
    // the creator accepts the joins, then nothing more of it arrives
    c.net.dropIf(s -> s.from().equals("peer-0")
        && !s.message().type().equals(MessageType.SESSION_JOIN_ACK.wire()));
    SessionHandle h = c.create(0, SessionRoundTripTest.message(2), SessionOptions.defaults());
    assertThat(c.runUntilFinished(h.sessionId(), List.of(1, 2), LONG)).isTrue();
    for (int i : List.of(1, 2)) {
      AbortReason r = FaultsTest.abortReason(c, i, h.sessionId());
      assertThat(r.code()).isEqualTo(AbortReason.Code.TIMEOUT);
      assertThat(r.message()).contains("participant list did not arrive");
    }
  }

  @Test
  void aMissingNonceIsNamedWhenTheNoncePhaseTimesOut() {
    SimCluster c = new SimCluster(4, 33);
    c.net.dropIf(s -> s.from().equals("peer-3")
        && s.message().type().equals(MessageType.NONCE_SHARE.wire()));
    SessionHandle h = c.create(0, SessionRoundTripTest.message(3), SessionOptions.defaults());
    assertThat(c.runUntilFinished(h.sessionId(), List.of(0, 1, 2), LONG)).isTrue();
    int missing = h.announcement().indexOf(c.publicKeys.get(3));
    long start = h.announcement().createdAt();
    for (int i : List.of(0, 1, 2)) {
      AbortReason r = FaultsTest.abortReason(c, i, h.sessionId());
      assertThat(r.code()).isEqualTo(AbortReason.Code.TIMEOUT);
      assertThat(r.culprits()).containsExactly(missing);
      assertThat(r.message()).contains("sent no nonce within 60000 ms");
    }
    assertThat(c.net.time().millis() - start).isLessThan(Duration.ofSeconds(70).toMillis());
  }

  @Test
  void finishedSessionsLeaveNoTimerNoRecordAndDropLateMessagesQuietly() {
    SimCluster c = new SimCluster(3, 34);
    byte[] msg = SessionRoundTripTest.message(4);
    SessionHandle done = c.create(0, msg, SessionOptions.defaults());
    c.net.silence("peer-2");
    SessionHandle failed = c.create(1, msg, SessionOptions.defaults());
    assertThat(c.runUntilFinished(done.sessionId(), List.of(0, 1), LONG)).isTrue();
    assertThat(c.runUntilFinished(failed.sessionId(), List.of(0, 1), LONG)).isTrue();
    // a late copy of a message of the finished session is dropped without a complaint
    var late = c.net.sent().stream()
        .filter(s -> s.to().equals("peer-1") && s.message().payload().toString()
            .contains(done.sessionId()))
        .findFirst().orElseThrow();
    int before = c.events(1, SessionEvent.MessageRejected.class).size();
    c.net.inject(late.from(), "peer-1", late.message());
    c.net.time().advance(Duration.ofSeconds(1));
    assertThat(c.events(1, SessionEvent.MessageRejected.class)).hasSize(before);
    // after the tombstone time, nothing is scheduled and nothing is stored
    c.net.time().advance(Duration.ofMinutes(11));
    assertThat(c.net.time().pending()).isZero();
    for (int i : List.of(0, 1)) {
      assertThat(c.stores.get(i).loadAll()).isEmpty();
      assertThat(c.managers.get(i).sessionIds()).isNotNull();
    }
    var ids = c.managers.get(0).sessionIds();
    c.net.time().runUntil(ids::isDone, Duration.ofSeconds(1));
    assertThat(ids.join()).isEmpty();
  }

  @Test
  void anExpiredAnnouncementCannotBeJoined() {
    SimCluster c = new SimCluster(2, 35).manualJoin();
    SessionHandle h = c.create(0, SessionRoundTripTest.message(5), SessionOptions.defaults());
    c.net.time().advance(Duration.ofMinutes(6));
    var join = c.managers.get(1).join(h.announcement(), c.keys.get(1));
    c.net.time().runUntil(join::isDone, Duration.ofSeconds(1));
    assertThatThrownBy(join::join).hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expired");
  }
}
