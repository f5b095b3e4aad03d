package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import org.lotusia.libp2p.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validation of one received message, the part of its handling that may be slow: the signature
 * check and the topic's validator (user code). Created on the router thread, {@link #run() run} on
 * the validation pool, then handed back to the router thread, which reads {@link #outcome()}; the
 * hand-offs go through executors, which order the writes before the reads.
 */
final class ValidationJob implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(ValidationJob.class);

  /** How validation ended. */
  enum Outcome {
    /** The signature does not verify: the message is not genuine, its ID proves nothing. */
    BAD_SIGNATURE,
    ACCEPT,
    REJECT,
    IGNORE
  }

  final PeerId source;
  final ByteString id;
  final MessageSigning.Checked checked;
  final InboundBudget.Ticket ticket;
  private final TopicValidator validator;
  private PubsubMessage message;
  private Outcome outcome;

  ValidationJob(
      PeerId source,
      ByteString id,
      MessageSigning.Checked checked,
      TopicValidator validator,
      InboundBudget.Ticket ticket) {
    this.source = source;
    this.id = id;
    this.checked = checked;
    this.validator = validator;
    this.ticket = ticket;
  }

  String topic() {
    return checked.message().getTopic();
  }

  @Override
  public void run() {
    if (!MessageSigning.verify(checked)) {
      outcome = Outcome.BAD_SIGNATURE;
      return;
    }
    message =
        new PubsubMessage(
            topic(),
            checked.message().getData().toByteArray(),
            checked.from(),
            checked.message().getSeqno().toByteArray(),
            id.toByteArray(),
            source);
    if (validator == null) {
      outcome = Outcome.ACCEPT;
      return;
    }
    try {
      TopicValidationResult r = validator.validate(message);
      outcome =
          r == null
              ? Outcome.IGNORE
              : switch (r) {
                case ACCEPT -> Outcome.ACCEPT;
                case REJECT -> Outcome.REJECT;
                case IGNORE -> Outcome.IGNORE;
              };
    } catch (RuntimeException e) {
      LOG.warn("validator of topic {} threw; ignoring the message", topic(), e);
      outcome = Outcome.IGNORE;
    }
  }

  /** The outcome; null before {@link #run()}. */
  Outcome outcome() {
    return outcome;
  }

  /** The message as handlers see it; null unless the signature verified. */
  PubsubMessage message() {
    return message;
  }
}
