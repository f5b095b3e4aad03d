package org.lotusia.swapsig.wire;

/**
 * A pool message or announcement that breaks the format: a missing field, a field of the wrong
 * JSON type, malformed hex, a wrong length or a number out of range. The message names the field
 * and what is accepted. The sender broke the protocol.
 */
public final class MalformedSwapSigMessageException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  /** @param message what was wrong and what is accepted */
  public MalformedSwapSigMessageException(String message) {
    super(message);
  }
}
