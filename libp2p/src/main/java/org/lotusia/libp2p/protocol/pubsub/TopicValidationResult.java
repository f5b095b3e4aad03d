package org.lotusia.libp2p.protocol.pubsub;

/** The outcome of a {@link TopicValidator}. */
public enum TopicValidationResult {
  /** Deliver and forward the message. */
  ACCEPT,
  /** Drop the message and penalise the peer that forwarded it (P4 of the peer score). */
  REJECT,
  /** Drop the message without a penalty. */
  IGNORE
}
