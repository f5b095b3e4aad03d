package org.lotusia.libp2p.protocol.pubsub;

import java.util.Objects;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPublicKey;

/**
 * What a {@link MessageIdFunction} sees of a received or published message, before its signature is
 * verified.
 *
 * @param topic the topic
 * @param data the payload (do not modify)
 * @param from the claimed author, or null for an unsigned message
 * @param seqno the author's 8-byte sequence number, or an empty array
 * @param authorKey the author's public key (inlined in {@code from} or carried in the message), or
 *     null for an unsigned message
 */
public record MessageIdInput(
    String topic, byte[] data, PeerId from, byte[] seqno, IdentityPublicKey authorKey) {

  /** Checks the fields. */
  public MessageIdInput {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(seqno, "seqno");
  }
}
