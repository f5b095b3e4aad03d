package org.lotusia.p2p.protocol;

/** Why inbound bytes could not be decoded into a {@link P2PMessage}. */
public enum DecodeFailure {
  /** More bytes than the configured receive cap. */
  OVERSIZED,
  /** The stream ended without any byte. lotus-sdk ignores such streams silently. */
  EMPTY,
  /** Not a single JSON text (syntax error, trailing data, too deep, number too long). */
  MALFORMED_JSON,
  /** Valid JSON, but the top-level value is not an object. */
  NOT_AN_OBJECT,
  /** A known field has the wrong JSON type or an unusable value. */
  INVALID_FIELD
}
