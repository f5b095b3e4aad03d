package org.lotusia.musig2.p2p;

import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.musig2.p2p.wire.CoordinatorFailover;
import org.lotusia.musig2.p2p.wire.JoinAck;
import org.lotusia.musig2.p2p.wire.JoinRequest;
import org.lotusia.musig2.p2p.wire.NonceCommitment;
import org.lotusia.musig2.p2p.wire.NonceShare;
import org.lotusia.musig2.p2p.wire.ParticipantList;
import org.lotusia.musig2.p2p.wire.PartialSignatureShare;
import org.lotusia.musig2.p2p.wire.SessionAbort;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.SessionComplete;
import org.lotusia.musig2.p2p.wire.SessionMessage;
import org.lotusia.musig2.p2p.wire.SignedEncoding;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The authentication of every inbound message of one session, in this order: which signer index
 * the message claims; that the envelope's {@code from} is the peer holding that index; that the
 * transport delivered it from that peer, or from the session creator relaying it to the local
 * peer; that it carries a sequence number and a signature, and the signature verifies under that
 * signer's key over the canonical encoding; that its payload timestamp is within the clock-skew
 * window. Replay protection (each sequence number once per signer) is applied separately, after
 * the phase check, so that a message held for a later phase is not counted twice. Confined to the
 * manager's thread.
 */
final class InboundGuard {

  /** Outcome of a check. */
  enum Kind {
    /** Authentic; {@link Verdict#signer} is the sender's index. */
    PASS,
    /** The claimed signer's peer is not known yet (before the participant list): hold it. */
    UNBOUND,
    /** Refused. */
    REJECT
  }

  /** The outcome, with the sender's index or the reason for refusal. */
  record Verdict(Kind kind, int signer, String reason, boolean violation) {
    static Verdict pass(int signer) {
      return new Verdict(Kind.PASS, signer, null, false);
    }

    static Verdict reject(String reason) {
      return new Verdict(Kind.REJECT, -1, reason, true);
    }
  }

  private final SessionServices svc;
  private final SessionAnnouncement announcement;
  private final ParticipantMap peers;
  private final int localIndex;
  private final int creatorIndex;
  private final SequenceWindow[] windows;
  /** Each signer's key, decoded on its first message and reused (the provider caches tables). */
  private final EcPoint[] keys;

  InboundGuard(
      SessionServices svc,
      SessionAnnouncement announcement,
      ParticipantMap peers,
      int localIndex,
      int creatorIndex) {
    this.svc = svc;
    this.announcement = announcement;
    this.peers = peers;
    this.localIndex = localIndex;
    this.creatorIndex = creatorIndex;
    this.windows = new SequenceWindow[peers.size()];
    this.keys = new EcPoint[peers.size()];
    for (int i = 0; i < windows.length; i++) {
      windows[i] = new SequenceWindow(svc.config.maxMessagesPerSigner());
    }
  }

  /** The signer index a message speaks for, or -1 if it names none. */
  int claimedSigner(SessionMessage m) {
    if (m instanceof JoinRequest j) {
      return announcement.indexOf(j.signerPublicKey());
    } else if (m instanceof JoinAck || m instanceof ParticipantList) {
      return creatorIndex;
    } else if (m instanceof NonceCommitment c) {
      return c.signerIndex();
    } else if (m instanceof NonceShare s) {
      return s.signerIndex();
    } else if (m instanceof PartialSignatureShare p) {
      return p.signerIndex();
    } else if (m instanceof SessionAbort a) {
      return a.signerIndex() == null ? -1 : a.signerIndex();
    } else if (m instanceof SessionComplete c) {
      return c.signerIndex() == null ? -1 : c.signerIndex();
    } else if (m instanceof CoordinatorFailover f) {
      return f.signerIndex();
    }
    return -1;
  }

  /**
   * Authenticates a message addressed to the local node.
   *
   * @param signatureChecked true when this message already passed the signature check (it was
   *     held for a later phase); the binding checks are repeated, the signature is not
   */
  Verdict check(String transport, P2PMessage env, SessionMessage m, boolean signatureChecked) {
    int signer = claimedSigner(m);
    if (signer < 0 || signer >= peers.size()) {
      return Verdict.reject(
          env.type()
              + " names no signer index of this session"
              + (m.auth() == null ? " (unsigned lotus-sdk form; session messages must be signed)" : ""));
    }
    if (signer == localIndex) {
      return Verdict.reject(
          "peer " + transport + " sent " + env.type() + " claiming the local signer index " + signer);
    }
    String owner = peers.peer(signer);
    if (owner == null) {
      return new Verdict(Kind.UNBOUND, signer, null, false);
    }
    if (!owner.equals(env.from())) {
      return Verdict.reject(
          "envelope from "
              + env.from()
              + " claims signer index "
              + signer
              + ", which belongs to peer "
              + owner);
    }
    boolean direct = transport.equals(env.from());
    boolean relayedToUs =
        transport.equals(peers.peer(creatorIndex)) && svc.localPeerId.equals(env.to());
    if (!direct && !relayedToUs) {
      return Verdict.reject(
          "peer " + transport + " delivered a message of " + env.from()
              + " but only the session creator relays");
    }
    return authenticate(signer, env, m, signatureChecked);
  }

  /**
   * Authenticates a message the creator is asked to relay: the sender itself must deliver it, and
   * the target must be another participant.
   */
  Verdict checkRelay(String transport, P2PMessage env, SessionMessage m) {
    int signer = claimedSigner(m);
    if (signer < 0 || signer >= peers.size() || signer == localIndex) {
      return Verdict.reject("relay request names no other signer of this session");
    }
    if (peers.peer(signer) == null || !peers.peer(signer).equals(env.from())
        || !transport.equals(env.from())) {
      return Verdict.reject(
          "relay request from " + transport + " for a message of " + env.from()
              + ", which is not that peer's own message as signer " + signer);
    }
    int target = peers.indexOf(env.to());
    if (target < 0 || target == signer || target == localIndex) {
      return Verdict.reject("relay target " + env.to() + " is not another participant");
    }
    return authenticate(signer, env, m, false);
  }

  private Verdict authenticate(int signer, P2PMessage env, SessionMessage m, boolean checked) {
    if (m.auth() == null) {
      return Verdict.reject(
          env.type() + " from " + env.from()
              + " is unsigned (lotus-sdk form); session messages must carry a signature");
    }
    if (!checked && !verifyAs(signer, env, m)) {
      return Verdict.reject(
          env.type() + " signature does not verify under the key of signer " + signer);
    }
    if (!fresh(m.timestamp())) {
      return new Verdict(
          Kind.REJECT,
          signer,
          env.type() + " timestamp " + m.timestamp() + " is outside the clock-skew window",
          false);
    }
    return Verdict.pass(signer);
  }

  /** Whether a message signature verifies under {@code key}. */
  boolean verify(byte[] key, P2PMessage env, SessionMessage m) {
    int signer = announcement.indexOf(key);
    if (signer >= 0) {
      return verifyAs(signer, env, m);
    }
    EcPoint point;
    try {
      point = Secp256k1.defaultProvider().decode(key);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return verify(point, env, m);
  }

  /** Whether a message signature verifies under the key of {@code signer}. */
  boolean verifyAs(int signer, P2PMessage env, SessionMessage m) {
    EcPoint point;
    try {
      point = keyOf(signer);
    } catch (IllegalArgumentException e) {
      return false; // not reached: the session decoded every key for its key aggregation
    }
    return verify(point, env, m);
  }

  private boolean verify(EcPoint point, P2PMessage env, SessionMessage m) {
    byte[] digest =
        SignedEncoding.messageDigest(env.from(), env.messageId(), m.auth().sequenceNumber(), m);
    try {
      return svc.network.verify(point, digest, m.auth().signature());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private EcPoint keyOf(int signer) {
    if (keys[signer] == null) {
      keys[signer] = Secp256k1.defaultProvider().decode(announcement.signer(signer));
    }
    return keys[signer];
  }

  boolean fresh(long timestamp) {
    return Math.abs(svc.now() - timestamp) <= svc.config.maxClockSkew().toMillis();
  }

  /** Whether the sequence number of {@code signer} was accepted before. */
  boolean seen(int signer, long sequenceNumber) {
    return windows[signer].contains(sequenceNumber);
  }

  /** Records the sequence number of an accepted message of {@code signer}. */
  SequenceWindow.Result record(int signer, long sequenceNumber) {
    return windows[signer].accept(sequenceNumber);
  }
}
