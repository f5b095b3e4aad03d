package org.lotusia.libp2p.protocol.pubsub;

/**
 * How messages are signed and checked, per
 * https://github.com/libp2p/specs/blob/master/pubsub/README.md#signature-policy-options.
 */
public enum SignaturePolicy {
  /**
   * Every message carries {@code from}, an 8-byte {@code seqno} and a signature by the author's
   * identity key; unsigned or badly signed messages are rejected. The js-libp2p default.
   */
  STRICT_SIGN,
  /**
   * Messages carry none of {@code from}, {@code seqno}, {@code signature}, {@code key}; messages
   * that do are rejected. Message IDs are then the SHA-256 of the data.
   */
  STRICT_NO_SIGN
}
