package org.lotusia.p2p.protocol;

/** Why the authenticated mode rejected a message. */
public enum AuthFailure {
  /** {@code from} differs from the authenticated remote peer of the stream. */
  SENDER_MISMATCH,
  /** A signature is required and the message has none. */
  SIGNATURE_MISSING,
  /** The signature does not verify under the remote peer's key. */
  SIGNATURE_INVALID
}
