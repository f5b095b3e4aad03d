package org.lotusia.libp2p.internal.noise;

import org.lotusia.libp2p.Libp2pException;
import org.lotusia.libp2p.PeerId;

/**
 * A dialer reached a peer other than the one it meant to reach: the remote proved an identity key
 * whose peer ID differs from the expected one (noise-libp2p spec, "SecureOutbound"). The remote did
 * not break the protocol, so this is not a protocol violation; the dialer's address information was
 * stale or wrong.
 */
public final class UnexpectedPeerException extends Libp2pException {
  private static final long serialVersionUID = 1L;

  private final transient PeerId remote;
  private final transient PeerId expected;

  /**
   * Creates the exception.
   *
   * @param remote the peer that answered
   * @param expected the peer the dialer expected
   */
  public UnexpectedPeerException(PeerId remote, PeerId expected) {
    super("remote peer is " + remote + ", expected " + expected);
    this.remote = remote;
    this.expected = expected;
  }

  /** The peer that answered. */
  public PeerId remote() {
    return remote;
  }

  /** The peer the dialer expected. */
  public PeerId expected() {
    return expected;
  }
}
