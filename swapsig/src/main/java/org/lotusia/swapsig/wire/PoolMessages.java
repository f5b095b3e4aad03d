package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** Decodes a SwapSig payload by its message type. Stateless. */
public final class PoolMessages {

  private PoolMessages() {}

  /**
   * @param type the envelope's {@code type}; null is refused like an unknown type
   * @param payload the envelope's payload
   * @return the decoded message (signature not yet verified)
   * @throws MalformedMessageException for a missing or unknown type or a malformed payload
   */
  public static PoolMessage decode(String type, JsonNode payload) {
    if (type == null) {
      // a switch on a null string throws NullPointerException; an envelope handed to the manager
      // directly need not have passed the protocol decoder, which refuses a missing type
      throw new MalformedMessageException("message has no type; accepted: " + MessageTypes.ALL);
    }
    if (payload == null) {
      throw new MalformedMessageException("message has no payload");
    }
    return switch (type) {
      case MessageTypes.PARTICIPANT_REGISTERED -> Registration.decode(payload);
      case MessageTypes.REGISTRATION_ACK -> RegistrationAck.decode(payload);
      case MessageTypes.ROSTER -> Roster.decode(payload);
      case MessageTypes.SETUP_TX_BROADCAST -> SetupSubmission.decode(payload);
      case MessageTypes.SETUP_COMPLETE -> SetupComplete.decode(payload);
      case MessageTypes.DESTINATION_REVEAL -> DestinationReveal.decode(payload);
      case MessageTypes.SETTLEMENT_TX_BROADCAST -> SettlementBroadcast.decode(payload);
      case MessageTypes.POOL_ABORT -> PoolAbort.decode(payload);
      case MessageTypes.PARTICIPANT_DROPPED -> ParticipantDropped.decode(payload);
      default -> throw new MalformedMessageException(
          "unknown message type '" + type + "'; accepted: " + MessageTypes.ALL);
    };
  }
}
