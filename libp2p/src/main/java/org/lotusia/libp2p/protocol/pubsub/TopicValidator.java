package org.lotusia.libp2p.protocol.pubsub;

/**
 * Checks a received message of one topic before it is delivered and forwarded.
 *
 * <p>Threading: called on the service's validation pool, after the message's signature was
 * verified, never on the router thread; several messages of one topic may be validated at once
 * ({@link GossipSubConfig#validationConcurrency()}), so an implementation must be thread-safe. A
 * slow validator delays only its topic: messages beyond the topic's validation queue are dropped
 * and counted. A validator that throws or returns null counts as {@link TopicValidationResult#IGNORE}.
 */
@FunctionalInterface
public interface TopicValidator {

  /** Judges {@code message}, which already passed the signature policy. */
  TopicValidationResult validate(PubsubMessage message);
}
