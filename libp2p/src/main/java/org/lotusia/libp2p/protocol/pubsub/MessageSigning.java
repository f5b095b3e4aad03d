package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.crypto.IdentityPublicKey;
import org.lotusia.libp2p.internal.proto.PubsubProtos.Message;

/**
 * Message signing, checking and IDs, per
 * https://github.com/libp2p/specs/blob/master/pubsub/README.md#message-signing.
 *
 * <p>The signature covers {@code "libp2p-pubsub:"} followed by the Message protobuf without its
 * {@code signature} and {@code key} fields. Checking is split in two so that the router can
 * deduplicate before it pays for a verification: {@link #precheck} (structure, router thread) and
 * {@link #verify} (the signature, on the validation pool).
 */
final class MessageSigning {

  private static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);

  private MessageSigning() {}

  /** A message checked against the policy, with its author's key when signed. */
  record Checked(Message message, PeerId from, IdentityPublicKey key) {}

  /** Why a message failed the policy. */
  static final class InvalidMessage extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidMessage(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Signs a message authored by {@code key}; the key field is set only when not inlined. */
  static Message sign(IdentityPrivateKey key, PeerId self, String topic, byte[] data, long seqno) {
    Message.Builder b =
        Message.newBuilder()
            .setFrom(ByteString.copyFrom(self.toBytes()))
            .setData(ByteString.copyFrom(data))
            .setSeqno(ByteString.copyFrom(seqnoBytes(seqno)))
            .setTopic(topic);
    byte[] sig = key.sign(signedBytes(b.build()));
    b.setSignature(ByteString.copyFrom(sig));
    if (self.publicKey().isEmpty()) {
      b.setKey(ByteString.copyFrom(key.publicKey().encoded()));
    }
    return b.build();
  }

  /** An unsigned message for StrictNoSign. */
  static Message unsigned(String topic, byte[] data) {
    return Message.newBuilder().setData(ByteString.copyFrom(data)).setTopic(topic).build();
  }

  static byte[] seqnoBytes(long seqno) {
    byte[] out = new byte[8];
    for (int i = 7; i >= 0; i--) {
      out[i] = (byte) seqno;
      seqno >>>= 8;
    }
    return out;
  }

  private static byte[] signedBytes(Message m) {
    byte[] body = m.toBuilder().clearSignature().clearKey().build().toByteArray();
    byte[] out = new byte[PREFIX.length + body.length];
    System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
    System.arraycopy(body, 0, out, PREFIX.length, body.length);
    return out;
  }

  /**
   * The structural checks of {@code policy}, without the signature: fields present or absent as
   * required, a parseable author whose key is inlined or carried and matches. Cheap enough for the
   * router thread; {@link #verify} does the expensive part later.
   *
   * @throws InvalidMessage naming the failed check
   */
  static Checked precheck(Message m, SignaturePolicy policy) throws InvalidMessage {
    if (!m.hasTopic()) {
      throw new InvalidMessage("missing topic");
    }
    if (policy == SignaturePolicy.STRICT_NO_SIGN) {
      if (m.hasSignature() || m.hasSeqno() || m.hasKey() || m.hasFrom()) {
        throw new InvalidMessage("from, seqno, signature or key present under StrictNoSign");
      }
      return new Checked(m, null, null);
    }
    if (!m.hasSeqno() || m.getSeqno().size() != 8) {
      throw new InvalidMessage("seqno missing or not 8 bytes");
    }
    if (!m.hasSignature()) {
      throw new InvalidMessage("missing signature");
    }
    if (!m.hasFrom()) {
      throw new InvalidMessage("missing from");
    }
    PeerId from;
    try {
      from = PeerId.fromBytes(m.getFrom().toByteArray());
    } catch (IllegalArgumentException e) {
      throw new InvalidMessage("from is not a peer ID");
    }
    IdentityPublicKey key;
    if (m.hasKey()) {
      try {
        key = Keys.decodePublicKey(m.getKey().toByteArray());
      } catch (RuntimeException e) {
        throw new InvalidMessage("malformed key");
      }
      if (!from.matches(key)) {
        throw new InvalidMessage("key does not match from");
      }
    } else {
      key = from.publicKey().orElseThrow(() -> new InvalidMessage("key missing, not inlined"));
    }
    return new Checked(m, from, key);
  }

  /** Whether the signature of a prechecked message verifies; true for unsigned messages. */
  static boolean verify(Checked c) {
    if (c.key() == null) {
      return true;
    }
    try {
      return c.key().verify(signedBytes(c.message()), c.message().getSignature().toByteArray());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * {@link #precheck} and {@link #verify} together.
   *
   * @throws InvalidMessage naming the failed check
   */
  static Checked check(Message m, SignaturePolicy policy) throws InvalidMessage {
    Checked c = precheck(m, policy);
    if (!verify(c)) {
      throw new InvalidMessage("bad signature");
    }
    return c;
  }

  /** What a {@link MessageIdFunction} sees of a checked message. */
  static MessageIdInput idInput(Checked c) {
    Message m = c.message();
    return new MessageIdInput(
        m.getTopic(), m.getData().toByteArray(), c.from(), m.getSeqno().toByteArray(), c.key());
  }

  /**
   * The ID of {@code c} under {@code fn}.
   *
   * @throws InvalidMessage when the function throws or returns no bytes
   */
  static ByteString messageId(MessageIdFunction fn, Checked c) throws InvalidMessage {
    byte[] id;
    try {
      id = fn.messageId(idInput(c));
    } catch (RuntimeException e) {
      throw new InvalidMessage("message ID function failed: " + e);
    }
    if (id == null || id.length == 0) {
      throw new InvalidMessage("message ID function returned no bytes");
    }
    return ByteString.copyFrom(id);
  }
}
