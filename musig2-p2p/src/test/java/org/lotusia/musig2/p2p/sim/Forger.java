package org.lotusia.musig2.p2p.sim;

import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.wire.MessageAuth;
import org.lotusia.musig2.p2p.wire.MessageType;
import org.lotusia.musig2.p2p.wire.SessionMessage;
import org.lotusia.musig2.p2p.wire.SignedEncoding;
import org.lotusia.p2p.protocol.P2PMessage;

/** Builds envelopes the way a (possibly malicious) participant would: any from, key and number. */
public final class Forger {

  private Forger() {}

  /** A signed envelope: {@code from} in the envelope, signed by {@code key} with {@code seq}. */
  public static P2PMessage seal(
      String from, PrivateKey key, SessionMessage unsigned, long seq, String messageId, long now) {
    byte[] digest = SignedEncoding.messageDigest(from, messageId, seq, unsigned);
    SessionMessage signed = unsigned.withAuth(new MessageAuth(seq, key.signSchnorr(digest)));
    return new P2PMessage(
        unsigned.type().wire(), from, null, signed.toJson(), now, messageId, null,
        MessageType.PROTOCOL);
  }

  /** An unsigned envelope, as lotus-sdk sends (payload as an object). */
  public static P2PMessage unsigned(String from, SessionMessage m, String messageId, long now) {
    return new P2PMessage(
        m.type().wire(), from, null, m.toJson(), now, messageId, null, MessageType.PROTOCOL);
  }
}
