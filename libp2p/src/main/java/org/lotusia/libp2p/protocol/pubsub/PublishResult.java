package org.lotusia.libp2p.protocol.pubsub;

import java.util.List;
import org.lotusia.libp2p.PeerId;

/**
 * The result of {@link GossipSub#publish}.
 *
 * @param message the published message as peers see it (its {@code id} is the gossip message ID)
 * @param recipients the peers it was queued for directly
 */
public record PublishResult(PubsubMessage message, List<PeerId> recipients) {
  /** Copies the list. */
  public PublishResult {
    recipients = List.copyOf(recipients);
  }
}
