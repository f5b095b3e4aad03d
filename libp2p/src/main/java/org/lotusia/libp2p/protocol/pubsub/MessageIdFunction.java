package org.lotusia.libp2p.protocol.pubsub;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Computes the ID of a message: the key of the seen cache and what IHAVE, IWANT and IDONTWANT
 * carry. All nodes of a network must use the same function, or gossip repair and duplicate
 * suppression between them break (eager forwarding still works).
 *
 * <p>The function runs on the router thread before the signature is verified (so that duplicates
 * cost no verification): it must be fast, pure, thread-safe, and must not trust the content beyond
 * the fields it reads. A function that throws or returns null or an empty array makes the message
 * invalid. Choose with {@link GossipSubConfig.Builder#messageIdFunction}.
 */
@FunctionalInterface
public interface MessageIdFunction {

  /**
   * The ID of {@code message}.
   *
   * @param message the message as received, not yet verified
   * @return the ID bytes; not retained by the caller beyond the message's life in the caches
   */
  byte[] messageId(MessageIdInput message);

  /**
   * js-libp2p's IDs, the default: for a signed message the protobuf encoding of the author's public
   * key followed by the 8-byte seqno ({@code msgIdFnStrictSign}); for an unsigned one the SHA-256
   * of the data ({@code msgIdFnStrictNoSign}).
   */
  static MessageIdFunction authorKeyAndSeqno() {
    return BuiltIn.JS;
  }

  /**
   * go-libp2p-pubsub's default IDs: the author's peer ID bytes followed by the seqno ({@code
   * DefaultMsgIdFn}); for an unsigned message, which go cannot identify this way, the SHA-256 of
   * the data. For Ed25519 authors the peer ID bytes are {@code 0x00 0x24} followed by the key's
   * protobuf, so these IDs differ from {@link #authorKeyAndSeqno()}'s by that prefix.
   */
  static MessageIdFunction fromAndSeqno() {
    return BuiltIn.GO;
  }

  /**
   * The SHA-256 of the data: content-addressed IDs, the same message from anyone is one message.
   */
  static MessageIdFunction sha256OfData() {
    return BuiltIn.SHA256;
  }

  /** The built-in functions; named so that configurations print readably. */
  enum BuiltIn implements MessageIdFunction {
    /** {@link #authorKeyAndSeqno()}. */
    JS {
      @Override
      public byte[] messageId(MessageIdInput m) {
        if (m.authorKey() == null) {
          return sha256(m.data());
        }
        return concat(m.authorKey().encoded(), m.seqno());
      }
    },
    /** {@link #fromAndSeqno()}. */
    GO {
      @Override
      public byte[] messageId(MessageIdInput m) {
        if (m.from() == null) {
          return sha256(m.data());
        }
        return concat(m.from().toBytes(), m.seqno());
      }
    },
    /** {@link #sha256OfData()}. */
    SHA256 {
      @Override
      public byte[] messageId(MessageIdInput m) {
        return sha256(m.data());
      }
    };

    private static byte[] concat(byte[] a, byte[] b) {
      byte[] out = new byte[a.length + b.length];
      System.arraycopy(a, 0, out, 0, a.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    private static byte[] sha256(byte[] data) {
      try {
        return MessageDigest.getInstance("SHA-256").digest(data);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK has no SHA-256", e);
      }
    }
  }
}
