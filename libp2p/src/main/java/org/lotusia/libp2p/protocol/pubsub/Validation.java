package org.lotusia.libp2p.protocol.pubsub;

import java.util.function.Consumer;

/** Where the router sends messages to be validated off its thread. */
interface Validation {

  /**
   * Queues {@code job}: it runs on the validation pool and then {@code done} receives it on the
   * router thread. Never blocks.
   *
   * @return false when the job's topic has a full queue; the job is then not run
   */
  boolean submit(ValidationJob job, Consumer<ValidationJob> done);
}
