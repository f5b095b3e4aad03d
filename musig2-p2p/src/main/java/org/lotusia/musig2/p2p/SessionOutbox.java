package org.lotusia.musig2.p2p;

import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.wire.MessageAuth;
import org.lotusia.musig2.p2p.wire.MessageType;
import org.lotusia.musig2.p2p.wire.SessionMessage;
import org.lotusia.musig2.p2p.wire.SignedEncoding;
import org.lotusia.p2p.protocol.P2PMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sending side of one session: numbers and signs each outgoing message once (one envelope for
 * every recipient), sends it to each participant directly, and when a direct send fails asks the
 * session creator to relay it (the same envelope with {@code to} set, which the signature does not
 * cover). On the creator it also forwards relay requests, within a budget per sender. Confined to
 * the manager's thread; send outcomes come back onto it.
 */
final class SessionOutbox {

  private static final Logger LOG = LoggerFactory.getLogger(SessionOutbox.class);

  private final SessionServices svc;
  private final String sessionId;
  private final PrivateKey key;
  private final ParticipantMap peers;
  private final int localIndex;
  private final int creatorIndex;
  private final int[] relayedFrom;
  private long nextSequence;

  SessionOutbox(
      SessionServices svc,
      String sessionId,
      PrivateKey key,
      ParticipantMap peers,
      int localIndex,
      int creatorIndex,
      long firstSequence) {
    this.svc = svc;
    this.sessionId = sessionId;
    this.key = key;
    this.peers = peers;
    this.localIndex = localIndex;
    this.creatorIndex = creatorIndex;
    this.relayedFrom = new int[peers.size()];
    this.nextSequence = firstSequence;
  }

  long nextSequence() {
    return nextSequence;
  }

  /** Numbers, signs and wraps a message in an envelope from the local peer. */
  P2PMessage seal(SessionMessage unsigned) {
    long seq = nextSequence++;
    String messageId = svc.protocol.generateMessageId();
    byte[] digest = SignedEncoding.messageDigest(svc.localPeerId, messageId, seq, unsigned);
    SessionMessage signed = unsigned.withAuth(new MessageAuth(seq, svc.network.sign(key, digest)));
    return new P2PMessage(
        unsigned.type().wire(),
        svc.localPeerId,
        null,
        signed.toJson(),
        svc.now(),
        messageId,
        null,
        MessageType.PROTOCOL);
  }

  /** Sends to every other participant whose peer is known. */
  void toAll(SessionMessage message) {
    P2PMessage env = seal(message);
    for (int i = 0; i < peers.size(); i++) {
      if (i != localIndex && peers.peer(i) != null) {
        deliver(i, env);
      }
    }
  }

  /** Sends to one signer index, with relay on failure. */
  void toIndex(int index, SessionMessage message) {
    deliver(index, seal(message));
  }

  /** Sends to a peer that is not (yet) a participant: no relay. */
  void toPeer(String peerId, SessionMessage message) {
    P2PMessage env = seal(message);
    svc.send(peerId, env)
        .whenComplete(
            (v, err) -> {
              if (err != null) {
                svc.metrics.sendFailures.increment();
                LOG.debug("session {}: send to {} failed: {}", sessionId, peerId, err.toString());
              }
            });
  }

  private void deliver(int index, P2PMessage env) {
    String target = peers.peer(index);
    svc.send(target, env)
        .whenComplete(
            (v, err) -> {
              if (err != null) {
                svc.metrics.sendFailures.increment();
                svc.onService(() -> relayThroughCreator(index, target, env, err));
              }
            });
  }

  private void relayThroughCreator(int index, String target, P2PMessage env, Throwable cause) {
    String creatorPeer = peers.peer(creatorIndex);
    if (localIndex == creatorIndex || index == creatorIndex || creatorPeer == null) {
      LOG.debug(
          "session {}: {} unreachable ({}), no relay possible",
          sessionId,
          peers.describe(index),
          cause.toString());
      return;
    }
    svc.metrics.relayRequests.increment();
    P2PMessage viaCreator =
        new P2PMessage(
            env.type(),
            env.from(),
            target,
            env.payload(),
            env.timestamp(),
            env.messageId(),
            null,
            env.protocol());
    svc.send(creatorPeer, viaCreator)
        .whenComplete(
            (v, err) -> {
              if (err != null) {
                svc.metrics.sendFailures.increment();
                LOG.debug(
                    "session {}: relay of {} to {} through the creator failed: {}",
                    sessionId,
                    env.type(),
                    target,
                    err.toString());
              }
            });
  }

  /**
   * Creator side: forwards an authenticated message from {@code sender} unchanged to its {@code
   * to} peer, unless the sender's relay budget is spent.
   *
   * @return false if the budget is spent
   */
  boolean forward(int sender, P2PMessage env) {
    int budget = svc.config.relayBudgetPerTarget() * (peers.size() - 1);
    if (relayedFrom[sender] >= budget) {
      return false;
    }
    relayedFrom[sender]++;
    svc.metrics.relayed.increment();
    svc.send(env.to(), env)
        .whenComplete(
            (v, err) -> {
              if (err != null) {
                svc.metrics.sendFailures.increment();
                LOG.debug("session {}: relaying to {} failed: {}", sessionId, env.to(), err.toString());
              }
            });
    return true;
  }
}
