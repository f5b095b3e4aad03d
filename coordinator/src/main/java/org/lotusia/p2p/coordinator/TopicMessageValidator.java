package org.lotusia.p2p.coordinator;

/**
 * An application's check of the messages of one topic, run after the security manager's checks
 * and before a message is delivered or forwarded (see {@link Topics#addTopicValidator}). A
 * rejected message is neither delivered nor forwarded, and GossipSub lowers the score of the peer
 * that sent it; an ignored one is dropped without a penalty.
 *
 * <p>Threading: runs on GossipSub's validation pool, never on a network thread; keep it fast (a
 * full validation queue drops messages, counted). An exception counts as {@link Verdict#IGNORE}.
 */
@FunctionalInterface
public interface TopicMessageValidator {

  /** What to do with a message. */
  enum Verdict {
    /** Deliver and forward it. */
    ACCEPT,
    /** Drop it and penalize the peer that sent it. */
    REJECT,
    /** Drop it without a penalty. */
    IGNORE
  }

  /**
   * Judges one message.
   *
   * @param message the message (its data must not be modified)
   * @return the verdict
   */
  Verdict validate(TopicMessage message);
}
