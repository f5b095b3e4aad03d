package org.lotusia.musig2.p2p.wire;

import com.fasterxml.jackson.databind.JsonNode;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Decodes MuSig2 session messages from {@code P2PMessage} envelopes. The payload may be a JSON
 * object (what lotus-sdk receivers require) or a string holding a JSON object (what lotus-sdk
 * senders send, reference 3.3); both decode the same. Stateless, thread-safe.
 */
public final class SessionMessages {

  /** Largest payload accepted as a JSON string (the envelope itself is capped at 100,000 bytes). */
  public static final int MAX_PAYLOAD_TEXT = 100_000;

  private SessionMessages() {}

  /**
   * Decodes the payload of a MuSig2 envelope.
   *
   * @param envelope the envelope, already checked by the message layer (size, required fields,
   *     clock skew)
   * @return the typed message
   * @throws MalformedMessageException if the protocol is not {@code musig2}, the type is not a
   *     session message type, or the payload does not decode
   */
  public static SessionMessage decode(P2PMessage envelope) {
    if (!MessageType.PROTOCOL.equals(envelope.protocol())) {
      throw new MalformedMessageException(
          "protocol", "expected \"" + MessageType.PROTOCOL + "\", got " + envelope.protocol());
    }
    MessageType type =
        MessageType.fromWire(envelope.type())
            .orElseThrow(
                () ->
                    new MalformedMessageException(
                        "type", "not a MuSig2 session message type: " + envelope.type()));
    return decode(type, envelope.payload());
  }

  /**
   * Decodes a payload of a known type.
   *
   * @param type the message type
   * @param payload a JSON object, or a JSON string holding one
   * @return the typed message
   * @throws MalformedMessageException if the payload does not decode; the message names the field
   */
  public static SessionMessage decode(MessageType type, JsonNode payload) {
    JsonNode o = objectPayload(payload);
    return switch (type) {
      case SESSION_JOIN -> JoinRequest.decode(o);
      case SESSION_JOIN_ACK -> JoinAck.decode(o);
      case SESSION_PARTICIPANTS -> ParticipantList.decode(o);
      case NONCE_COMMITMENT -> NonceCommitment.decode(o);
      case NONCE_SHARE -> NonceShare.decode(o);
      case PARTIAL_SIG_SHARE -> PartialSignatureShare.decode(o);
      case SESSION_ABORT -> SessionAbort.decode(o);
      case SESSION_COMPLETE -> SessionComplete.decode(o);
      case COORDINATOR_FAILOVER -> CoordinatorFailover.decode(o);
    };
  }

  private static JsonNode objectPayload(JsonNode payload) {
    if (payload == null || payload.isNull() || payload.isMissingNode()) {
      throw new MalformedMessageException("payload", "required field is missing");
    }
    if (payload.isObject()) {
      return payload;
    }
    if (payload.isTextual()) {
      String text = payload.textValue();
      if (text.length() > MAX_PAYLOAD_TEXT) {
        throw new MalformedMessageException(
            "payload",
            "string of " + text.length() + " characters exceeds the limit of " + MAX_PAYLOAD_TEXT);
      }
      return WireJson.parseObject(text, "payload");
    }
    throw new MalformedMessageException(
        "payload",
        "expected an object or a string holding one, got " + WireJson.typeName(payload));
  }
}
