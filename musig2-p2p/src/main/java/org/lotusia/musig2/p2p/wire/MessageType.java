package org.lotusia.musig2.p2p.wire;

import java.util.Optional;

/**
 * The {@code type} strings of MuSig2 session messages in a {@code P2PMessage} envelope (protocol
 * {@code "musig2"}). The first six are lotus-sdk's (reference 3.4); the last three are additions of
 * this implementation, each listed in docs/COMPATIBILITY.md.
 */
public enum MessageType {
  /** Joiner to creator: request to join with a signer key. lotus-sdk. */
  SESSION_JOIN("musig2:session-join"),
  /** Creator to joiner: accepted with the signer index, or rejected with a reason. lotus-sdk. */
  SESSION_JOIN_ACK("musig2:session-join-ack"),
  /** Creator to every participant: the full participant map. Added. */
  SESSION_PARTICIPANTS("musig2:session-participants"),
  /** Every signer to every participant: hash commitment to its nonce (optional round). Added. */
  NONCE_COMMITMENT("musig2:nonce-commitment"),
  /** Every signer to every participant: the public nonce. lotus-sdk. */
  NONCE_SHARE("musig2:nonce-share"),
  /** Every signer to every participant: the partial signature. lotus-sdk. */
  PARTIAL_SIG_SHARE("musig2:partial-sig-share"),
  /** A participant to every participant: the session is aborted, with a reason. lotus-sdk. */
  SESSION_ABORT("musig2:session-abort"),
  /** The broadcaster to every participant: the final signature. lotus-sdk. */
  SESSION_COMPLETE("musig2:session-complete"),
  /** The next signer in the priority list takes over finalisation. Added. */
  COORDINATOR_FAILOVER("musig2:coordinator-failover");

  /** The {@code protocol} field of every MuSig2 envelope; routes it to the session layer. */
  public static final String PROTOCOL = "musig2";

  /** The announcement type name (lotus-sdk defines it; announcements travel without envelope). */
  public static final String SESSION_ANNOUNCEMENT = "musig2:session-announcement";

  private final String wire;

  MessageType(String wire) {
    this.wire = wire;
  }

  /**
   * @return the {@code type} string on the wire
   */
  public String wire() {
    return wire;
  }

  /**
   * @param type a {@code type} string from an envelope
   * @return the message type, or empty if it is not a MuSig2 session message type
   */
  public static Optional<MessageType> fromWire(String type) {
    if (type != null) {
      for (MessageType t : values()) {
        if (t.wire.equals(type)) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }
}
