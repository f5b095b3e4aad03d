package org.lotusia.libp2p.protocol.pubsub;

/**
 * A publish found no peer to send the message to and the configuration forbids publishing to nobody
 * ({@link GossipSubConfig#allowPublishToZeroTopicPeers()} is false). The message was not recorded:
 * publishing the same data again later is not a duplicate.
 */
public final class NoPeersSubscribedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception for {@code topic}.
   *
   * @param topic the topic published to
   */
  public NoPeersSubscribedException(String topic) {
    super(
        "no peer to publish to on topic '"
            + topic
            + "': none is subscribed (or all score below the publish threshold), and"
            + " allowPublishToZeroTopicPeers is false");
  }
}
