package org.lotusia.libp2p.protocol.pubsub;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.libp2p.PeerId;

/**
 * A message received on (or published to) a topic.
 *
 * @param topic the topic
 * @param data the payload; owned by the receiver, do not modify it when shared between handlers
 * @param from the author under {@link SignaturePolicy#STRICT_SIGN}, {@code null} otherwise
 * @param seqno the author's 8-byte sequence number, or an empty array
 * @param id the message ID used in gossip (IHAVE/IWANT/IDONTWANT)
 * @param receivedFrom the peer that forwarded it to us; this host's own ID for local publishes
 */
public record PubsubMessage(
    String topic, byte[] data, PeerId from, byte[] seqno, byte[] id, PeerId receivedFrom) {

  /** Checks the fields. */
  public PubsubMessage {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(seqno, "seqno");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(receivedFrom, "receivedFrom");
  }

  /** The author, when the message is signed. */
  public Optional<PeerId> author() {
    return Optional.ofNullable(from);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PubsubMessage m
        && topic.equals(m.topic)
        && Arrays.equals(id, m.id)
        && Arrays.equals(data, m.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(id);
  }

  @Override
  public String toString() {
    return "PubsubMessage[topic=" + topic + ", " + data.length + " bytes, from=" + from + "]";
  }
}
