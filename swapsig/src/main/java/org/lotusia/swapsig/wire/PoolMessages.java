package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** Decodes a SwapSig payload by its message type. Stateless. */
public final class PoolMessages {

  private PoolMessages() {}

  /**
   * @param type the envelope's {@code type}
   * @param payload the envelope's payload
   * @return the decoded message (signature not yet verified)
   * @throws MalformedMessageException for an unknown type or a malformed payload
   */
  public static PoolMessage decode(String type, JsonNode payload) {
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
