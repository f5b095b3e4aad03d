package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One MuSig2 session message: the payload of a {@code P2PMessage} with protocol {@code "musig2"}.
 * Encoders write lotus-sdk's key order (reference 3.4) followed by the fields this implementation
 * adds ({@code signerIndex} where lotus-sdk has none, {@code sequenceNumber}, {@code signature});
 * decoders ({@link SessionMessages#decode}) are strict about every known field and ignore unknown
 * ones. Implementations are immutable records; byte arrays are copied in and out; equality compares
 * the encodings.
 */
public sealed interface SessionMessage
    permits JoinRequest,
        JoinAck,
        ParticipantList,
        NonceCommitment,
        NonceShare,
        PartialSignatureShare,
        SessionAbort,
        SessionComplete,
        CoordinatorFailover {

  /** Longest accepted session ID (ours are 32 hex characters). */
  int MAX_SESSION_ID_LENGTH = 128;

  /** Longest accepted reason text. */
  int MAX_REASON_LENGTH = 512;

  /** Longest accepted peer ID text. */
  int MAX_PEER_ID_LENGTH = 128;

  /**
   * @return the envelope type of this message
   */
  MessageType type();

  /**
   * @return the session the message belongs to
   */
  String sessionId();

  /**
   * @return the sender's clock in ms when it created the payload
   */
  long timestamp();

  /**
   * @return the sequence number and signature, or {@code null} for an unsigned message (lotus-sdk
   *     sends none; this implementation refuses unsigned session messages)
   */
  MessageAuth auth();

  /**
   * @param auth the authentication fields
   * @return this message with them
   */
  SessionMessage withAuth(MessageAuth auth);

  /**
   * @return the payload as a JSON object in wire key order; a new tree owned by the caller
   */
  ObjectNode toJson();

  /**
   * Writes the message's own fields (after the common header) to the signed encoding.
   *
   * @param e the encoding
   */
  void writeSignedFields(SignedEncoding e);

  /** Appends the auth fields, when present, in wire order. */
  static void writeAuth(ObjectNode o, MessageAuth auth) {
    if (auth != null) {
      o.put("sequenceNumber", auth.sequenceNumber());
      o.put("signature", WireJson.hexOf(auth.signature()));
    }
  }

  /** Reads the optional auth fields: both or neither. */
  static MessageAuth readAuth(com.fasterxml.jackson.databind.JsonNode o) {
    Long seq = WireJson.optionalInteger(o, "sequenceNumber", MessageAuth.MAX_SEQUENCE_NUMBER);
    boolean hasSig = o.hasNonNull("signature");
    if (seq == null && !hasSig) {
      return null;
    }
    if (seq == null) {
      throw new MalformedMessageException(
          "sequenceNumber", "required when 'signature' is present");
    }
    if (!hasSig) {
      throw new MalformedMessageException("signature", "required when 'sequenceNumber' is present");
    }
    return new MessageAuth(seq, WireJson.hex(o, "signature", 64));
  }

  /** Reads the common session ID field. */
  static String readSessionId(com.fasterxml.jackson.databind.JsonNode o) {
    return WireJson.text(o, "sessionId", MAX_SESSION_ID_LENGTH);
  }
}
