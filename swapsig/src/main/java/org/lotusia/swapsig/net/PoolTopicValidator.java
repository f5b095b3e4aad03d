package org.lotusia.swapsig.net;

import java.time.Clock;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.coordinator.TopicMessageValidator;
import org.lotusia.swapsig.wire.CanonicalJson;
import org.lotusia.swapsig.wire.MalformedSwapSigMessageException;
import org.lotusia.swapsig.wire.PoolAnnouncement;

/**
 * The topic validator of {@code lotus/swapsig/pools}: GossipSub asks it before it delivers or
 * forwards an announcement. A malformed or badly signed announcement, or one published by another
 * peer than its creator, is rejected (the forwarding peer's score drops); an expired one is
 * ignored. Runs on GossipSub's validation pool; one signature verification per message.
 */
final class PoolTopicValidator implements TopicMessageValidator {

  private final Clock clock;

  PoolTopicValidator(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Verdict validate(TopicMessage message) {
    if (message.from().isEmpty() || message.data().length > 65_536) {
      return Verdict.REJECT;
    }
    PoolAnnouncement a;
    try {
      a = PoolAnnouncement.decode(CanonicalJson.MAPPER.readTree(message.data()));
    } catch (MalformedSwapSigMessageException | java.io.IOException e) {
      return Verdict.REJECT;
    }
    if (!a.verifySignature() || !a.creatorPeerId().equals(message.from().get())) {
      return Verdict.REJECT;
    }
    return a.expiresAt() <= clock.millis() ? Verdict.IGNORE : Verdict.ACCEPT;
  }
}
