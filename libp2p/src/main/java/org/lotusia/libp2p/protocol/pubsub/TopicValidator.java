package org.lotusia.libp2p.protocol.pubsub;

/**
 * Checks a received message of one topic before it is delivered and forwarded.
 *
 * <p>Threading: called on the GossipSub service thread; keep it fast and non-blocking. A validator
 * that throws counts as {@link ValidationResult#IGNORE}.
 */
@FunctionalInterface
public interface TopicValidator {

  /** Judges {@code message}, which already passed the signature policy. */
  ValidationResult validate(PubsubMessage message);
}
