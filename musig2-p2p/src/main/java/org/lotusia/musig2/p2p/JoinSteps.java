package org.lotusia.musig2.p2p;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.lotusia.musig2.p2p.AbortReason.Code;
import org.lotusia.musig2.p2p.wire.JoinAck;
import org.lotusia.musig2.p2p.wire.JoinRequest;
import org.lotusia.musig2.p2p.wire.Participant;
import org.lotusia.musig2.p2p.wire.ParticipantList;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The joining phase of one session. On the creator: join requests are authenticated by the
 * joiner's signature under the key it names (holding the key is what entitles a peer to a signer
 * index), each index goes to one peer and each peer gets one index, and once every signer has
 * joined the full participant list goes to everyone. On a joiner: the acceptance must name the
 * local key's own index, and the participant list must match the announcement. Holds no state of
 * its own; confined to the manager's thread.
 */
final class JoinSteps {

  private final ActiveSession s;

  JoinSteps(ActiveSession session) {
    this.s = session;
  }

  /** Creator side (lotus-sdk's rejection strings, reference 3.7). */
  void onJoinRequest(String transport, P2PMessage env, JoinRequest j) {
    if (!s.creator) {
      s.reject(transport, "join request sent to a participant that did not create the session", true);
      return;
    }
    if (!transport.equals(env.from())) {
      s.reject(transport, "join request delivered on behalf of " + env.from(), true);
      return;
    }
    if (j.auth() == null) {
      s.reject(transport, "unsigned join request (lotus-sdk form); the joiner must sign it", true);
      return;
    }
    if (!s.guard().verify(j.signerPublicKey(), env, j)) {
      s.reject(transport, "join request signature does not verify under the key it names", true);
      return;
    }
    if (!s.guard().fresh(j.timestamp())) {
      s.reject(transport, "join request timestamp is outside the clock-skew window", false);
      return;
    }
    ParticipantMap peers = s.peers();
    int idx = s.announcement.indexOf(j.signerPublicKey());
    String holder = idx < 0 ? null : peers.peer(idx);
    if (idx < 0) {
      refuse(transport, "Public key not in signers list");
    } else if (transport.equals(holder)) {
      s.reject(transport, "signer " + idx + " already joined", false);
    } else if (holder != null) {
      refuse(transport, "Signer index already taken");
    } else if (peers.indexOf(transport) >= 0) {
      refuse(transport, "Already joined");
    } else if (s.phase() != SessionPhase.JOINING) {
      refuse(transport, "Session no longer exists");
    } else if (s.guard().record(idx, j.auth().sequenceNumber())
        != SequenceWindow.Result.ACCEPTED) {
      s.reject(transport, "replayed join request of signer " + idx, false);
    } else {
      accept(transport, idx);
    }
  }

  private void accept(String peer, int idx) {
    SessionServices svc = s.services();
    svc.metrics.accepted.increment();
    s.peers().bind(idx, peer);
    svc.events.emit(
        new SessionEvent.ParticipantJoined(
            s.id, new Participant(idx, peer, s.announcement.signer(idx))));
    s.outbox().toIndex(idx, new JoinAck(s.id, true, idx, null, svc.now(), null));
    if (s.persist() && s.peers().complete()) {
      List<Participant> list = s.peers().participants();
      s.outbox().toAll(new ParticipantList(s.id, list, svc.now(), null));
      svc.events.emit(new SessionEvent.SessionReady(s.id, list));
      s.rounds().start();
    }
  }

  private void refuse(String peer, String reason) {
    s.reject(peer, "join refused: " + reason, false);
    s.outbox().toPeer(peer, new JoinAck(s.id, false, null, reason, s.services().now(), null));
  }

  /** Joiner side. */
  void onJoinAck(JoinAck a) {
    if (!a.accepted()) {
      s.abort(
          AbortReason.of(
              Code.JOIN_REJECTED, "the creator refused the join: " + ActiveSession.clean(a.reason())),
          false);
    } else if (a.signerIndex() != s.localIndex) {
      // lotus-sdk joiners adopt the index they are given (reference 6.2 P15); the index is the
      // position of the local key in the sorted list, so any other index is wrong.
      s.abort(
          new AbortReason(
              Code.JOIN_REJECTED,
              "the creator assigned signer index "
                  + a.signerIndex()
                  + " but the local key is signer "
                  + s.localIndex,
              List.of(s.creatorIndex)),
          true);
    }
  }

  /** Joiner side: the full map arrives; the signing rounds begin. */
  void onParticipants(ParticipantList p) {
    String problem = check(p.participants());
    if (problem != null) {
      s.abort(
          new AbortReason(
              Code.INVALID_PARTICIPANT_LIST,
              "the creator's participant list " + problem,
              List.of(s.creatorIndex)),
          true);
      return;
    }
    for (Participant x : p.participants()) {
      s.peers().bind(x.signerIndex(), x.peerId());
    }
    if (s.persist()) {
      s.services().events.emit(new SessionEvent.SessionReady(s.id, p.participants()));
      s.rounds().start();
    }
  }

  private String check(List<Participant> list) {
    int n = s.announcement.requiredSigners();
    if (list.size() != n) {
      return "has " + list.size() + " entries for " + n + " signers";
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Participant x = list.get(i);
      if (x.signerIndex() != i || !Arrays.equals(x.publicKey(), s.announcement.signer(i))) {
        return "entry " + i + " does not match signer " + i + " of the announcement";
      }
      if (!seen.add(x.peerId())) {
        return "names peer " + x.peerId() + " twice";
      }
    }
    String local = s.services().localPeerId;
    if (!list.get(s.localIndex).peerId().equals(local)) {
      return "gives the local signer " + s.localIndex + " to peer " + list.get(s.localIndex).peerId();
    }
    if (!list.get(s.creatorIndex).peerId().equals(s.announcement.coordinatorPeerId())) {
      return "gives the creator's index to another peer";
    }
    return null;
  }
}
