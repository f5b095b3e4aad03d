package org.lotusia.libp2p;

import java.util.List;

/**
 * multistream-select found no common protocol: the remote answered {@code na} to every proposal.
 * This is not a protocol violation; the peer simply does not speak what was asked.
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
    super("remote supports none of the proposed protocols " + proposed);
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
