package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code musig2:session-participants} (added): once every signer has joined, the creator sends the
 * full participant map to every participant, so that nonces and partial signatures go from every
 * signer to every other directly (lotus-sdk joiners only know the creator, reference 6.2 P4). Wire:
 * {@code {"sessionId","participants":[{"signerIndex","peerId","publicKey"}...],"timestamp",
 * "sequenceNumber","signature"}}, signed by the creator's signer key.
 *
 * @param sessionId the session
 * @param participants every signer, in signer-index order
 * @param timestamp the creator's clock in ms
 * @param auth sequence number and signature, or null
 */
public record ParticipantList(
    String sessionId, List<Participant> participants, long timestamp, MessageAuth auth)
    implements SessionMessage {

  /** Largest participant list a decoder accepts; the session's own limit is usually lower. */
  public static final int MAX_PARTICIPANTS = 1000;

  /** Copies the list. */
  public ParticipantList {
    participants = List.copyOf(participants);
  }

  @Override
  public MessageType type() {
    return MessageType.SESSION_PARTICIPANTS;
  }

  @Override
  public ParticipantList withAuth(MessageAuth a) {
    return new ParticipantList(sessionId, participants, timestamp, a);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode o = WireJson.object();
    o.put("sessionId", sessionId);
    ArrayNode arr = o.putArray("participants");
    for (Participant p : participants) {
      ObjectNode e = arr.addObject();
      e.put("signerIndex", p.signerIndex());
      e.put("peerId", p.peerId());
      e.put("publicKey", WireJson.hexOf(p.publicKey()));
    }
    o.put("timestamp", timestamp);
    SessionMessage.writeAuth(o, auth);
    return o;
  }

  @Override
  public void writeSignedFields(SignedEncoding e) {
    e.u32(participants.size());
    for (Participant p : participants) {
      e.u32(p.signerIndex()).str(p.peerId()).bytes(p.publicKey());
    }
  }

  static ParticipantList decode(JsonNode o) {
    JsonNode arr = WireJson.array(o, "participants", MAX_PARTICIPANTS);
    List<Participant> list = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode e = arr.get(i);
      String at = "participants[" + i + "]";
      if (!e.isObject()) {
        throw new MalformedMessageException(at, "expected an object, got " + WireJson.typeName(e));
      }
      try {
        list.add(
            new Participant(
                WireJson.index(e, "signerIndex"),
                WireJson.text(e, "peerId", MAX_PEER_ID_LENGTH),
                WireJson.publicKey(e, "publicKey")));
      } catch (MalformedMessageException ex) {
        throw new MalformedMessageException(at + "." + ex.field(), ex.getMessage());
      }
    }
    return new ParticipantList(
        SessionMessage.readSessionId(o),
        list,
        WireJson.timestamp(o, "timestamp"),
        SessionMessage.readAuth(o));
  }

  @Override
  public boolean equals(Object x) {
    return x instanceof ParticipantList m && toJson().equals(m.toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }
}
