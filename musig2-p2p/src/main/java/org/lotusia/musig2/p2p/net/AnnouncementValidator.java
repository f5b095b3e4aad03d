package org.lotusia.musig2.p2p.net;

import java.util.concurrent.atomic.LongAdder;
import org.lotusia.musig2.p2p.AnnouncementVerdict;
import org.lotusia.musig2.p2p.SessionManager;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.coordinator.TopicMessageValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic validator of {@code lotus/musig2/sessions}: GossipSub asks it before it delivers or
 * forwards an announcement, so a forged or malformed one stops at the first honest node and
 * lowers the score of the peer that sent it (REJECT), while lotus-sdk's unsigned announcements and
 * announcements outside local limits or clocks are dropped without a penalty (IGNORE). A message
 * without a StrictSign author is rejected: nobody can be bound to it. See {@link
 * SessionManager#judgeAnnouncement}.
 *
 * <p>Threading: runs on GossipSub's validation pool; one signature verification per message.
 */
final class AnnouncementValidator implements TopicMessageValidator {

  private static final Logger LOG = LoggerFactory.getLogger(AnnouncementValidator.class);

  private final SessionManager manager;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder ignored = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  AnnouncementValidator(SessionManager manager) {
    this.manager = manager;
  }

  @Override
  public Verdict validate(TopicMessage message) {
    if (message.from().isEmpty()) {
      rejected.increment();
      return Verdict.REJECT;
    }
    AnnouncementVerdict v = manager.judgeAnnouncement(message.from().get(), message.data());
    switch (v.kind()) {
      case ACCEPT -> {
        accepted.increment();
        return Verdict.ACCEPT;
      }
      case IGNORE -> {
        ignored.increment();
        LOG.debug("announcement from {} ignored: {}", message.from().get(), v.reason());
        return Verdict.IGNORE;
      }
      default -> {
        rejected.increment();
        LOG.debug("announcement from {} (forwarded by {}) rejected: {}", message.from().get(),
            message.receivedFrom(), v.reason());
        return Verdict.REJECT;
      }
    }
  }

  long accepted() {
    return accepted.sum();
  }

  long ignored() {
    return ignored.sum();
  }

  long rejected() {
    return rejected.sum();
  }
}
