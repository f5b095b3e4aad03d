package org.lotusia.musig2.p2p.wire;

/**
 * A MuSig2 session message or announcement received from the network does not decode: a required
 * field is missing, a field has the wrong JSON type, hex is malformed or of the wrong length, a
 * number is out of range. The message names the field and says what is accepted. The remote peer
 * is at fault; the receiver drops the message and may count a violation against the sender.
 */
public final class MalformedMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the offending field ({@code payload} for the payload as a whole)
   * @param problem what was wrong and what is accepted
   */
  public MalformedMessageException(String field, String problem) {
    super("field '" + field + "': " + problem);
    this.field = field;
  }

  /**
   * @return the name of the field that failed to decode
   */
  public String field() {
    return field;
  }
}
