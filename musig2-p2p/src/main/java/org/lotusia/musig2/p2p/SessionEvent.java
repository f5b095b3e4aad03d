package org.lotusia.musig2.p2p;

import java.util.List;
import org.lotusia.musig2.p2p.wire.Participant;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;

/**
 * What a {@link SessionListener} hears from a {@link SessionManager}. Events of one manager arrive
 * in the order they happened, on its callback executor.
 */
public sealed interface SessionEvent {

  /**
   * @return the session the event is about, or null for events about no session
   */
  String sessionId();

  /**
   * A verified announcement arrived on the announcement topic. The application decides whether to
   * {@link SessionManager#join join}.
   *
   * @param sessionId the session
   * @param announcement the announcement, its signature checked
   * @param publisherPeerId the peer that published it (equal to its creator)
   */
  record SessionDiscovered(String sessionId, SessionAnnouncement announcement, String publisherPeerId)
      implements SessionEvent {}

  /**
   * A signer joined a session this node created.
   *
   * @param sessionId the session
   * @param participant the new participant
   */
  record ParticipantJoined(String sessionId, Participant participant) implements SessionEvent {}

  /**
   * Every signer has joined; the participant list is known to this node.
   *
   * @param sessionId the session
   * @param participants every signer in index order
   */
  record SessionReady(String sessionId, List<Participant> participants) implements SessionEvent {
    /** Copies the list. */
    public SessionReady {
      participants = List.copyOf(participants);
    }
  }

  /**
   * Every nonce is known and verified; the local partial signature is being sent.
   *
   * @param sessionId the session
   */
  record NoncesComplete(String sessionId) implements SessionEvent {}

  /**
   * Every partial signature verified; the final signature is known here. The broadcaster will
   * finalise; this node takes over if the priority list reaches it.
   *
   * @param sessionId the session
   * @param signature the verified 64-byte signature
   */
  record SignatureReady(String sessionId, byte[] signature) implements SessionEvent {
    /** Copies the signature. */
    public SignatureReady {
      signature = signature.clone();
    }

    /**
     * @return a copy of the {@code signature} component (null when absent)
     */
    @Override
    public byte[] signature() {
      return signature.clone();
    }
  }

  /**
   * The broadcaster did not finish in time; the next signer in the priority list took over.
   *
   * @param sessionId the session
   * @param failedIndex the signer that did not finish
   * @param newIndex the signer now responsible
   */
  record CoordinatorFailedOver(String sessionId, int failedIndex, int newIndex)
      implements SessionEvent {}

  /**
   * The session completed.
   *
   * @param sessionId the session
   * @param result the result
   */
  record SessionCompleted(String sessionId, SessionResult result) implements SessionEvent {}

  /**
   * The session was aborted.
   *
   * @param sessionId the session
   * @param reason why, naming the culprits
   */
  record SessionAborted(String sessionId, AbortReason reason) implements SessionEvent {}

  /**
   * A message from the network was refused: malformed, unauthenticated, replayed, out of phase or
   * over a limit. The peer is the transport-authenticated sender; a network adapter may feed this
   * to its peer scoring.
   *
   * @param sessionId the session the message named, or null
   * @param peerId the peer that delivered it
   * @param reason what was wrong
   * @param violation whether the message breaks the protocol (true) or is merely late,
   *     duplicated or over a local limit (false)
   */
  record MessageRejected(String sessionId, String peerId, String reason, boolean violation)
      implements SessionEvent {}
}
