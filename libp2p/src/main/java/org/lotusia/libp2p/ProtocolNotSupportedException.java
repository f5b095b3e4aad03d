package org.lotusia.libp2p;

import java.util.List;

/**
 * No common protocol: the remote answered {@code na} to every proposal in multistream-select, or
 * offered no muxer this host supports in early muxer negotiation. This is not a protocol
 * violation; the peer simply does not speak what was asked.
 */
public class ProtocolNotSupportedException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  private final List<String> proposed;

  /**
   * Creates the exception.
   *
   * @param proposed the protocols that were proposed, in order
   */
  public ProtocolNotSupportedException(List<String> proposed) {
    this(proposed, "remote supports none of the proposed protocols " + proposed);
  }

  /**
   * Creates the exception with a message of its own.
   *
   * @param proposed the protocols that were proposed, in order
   * @param message what was negotiated, with whom, and what each side offered
   */
  public ProtocolNotSupportedException(List<String> proposed, String message) {
    super(message);
    this.proposed = List.copyOf(proposed);
  }

  /**
   * Returns the protocols that were proposed and refused.
   *
   * @return an immutable list, in proposal order
   */
  public List<String> proposed() {
    return proposed;
  }
}
