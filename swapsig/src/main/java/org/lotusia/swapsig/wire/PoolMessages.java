package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.JsonNode;

/** Decodes a SwapSig payload by its message type. Stateless. */
public final class PoolMessages {

  private PoolMessages() {}

  /**
   * @param type the envelope's {@code type}; null is refused like an unknown type
   * @param payload the envelope's payload
   * @return the decoded message (signature not yet verified)
   * @throws MalformedSwapSigMessageException for a missing or unknown type or a malformed payload
   */
  public static PoolMessage decode(String type, JsonNode payload) {
    if (type == null) {
      // a switch on a null string throws NullPointerException; an envelope handed to the manager
      // directly need not have passed the protocol decoder, which refuses a missing type
      throw new MalformedSwapSigMessageException("message has no type; accepted: " + SwapSigMessageTypes.ALL);
    }
    if (payload == null) {
      throw new MalformedSwapSigMessageException("message has no payload");
    }
    return switch (type) {
      case SwapSigMessageTypes.PARTICIPANT_REGISTERED -> ParticipantRegistration.decode(payload);
      case SwapSigMessageTypes.REGISTRATION_ACK -> RegistrationAck.decode(payload);
      case SwapSigMessageTypes.ROSTER -> Roster.decode(payload);
      case SwapSigMessageTypes.SETUP_TX_BROADCAST -> SetupSubmission.decode(payload);
      case SwapSigMessageTypes.SETUP_COMPLETE -> SetupComplete.decode(payload);
      case SwapSigMessageTypes.DESTINATION_REVEAL -> DestinationReveal.decode(payload);
      case SwapSigMessageTypes.SETTLEMENT_TX_BROADCAST -> SettlementBroadcast.decode(payload);
      case SwapSigMessageTypes.POOL_ABORT -> PoolAbort.decode(payload);
      case SwapSigMessageTypes.PARTICIPANT_DROPPED -> ParticipantDropped.decode(payload);
      default -> throw new MalformedSwapSigMessageException(
          "unknown message type '" + type + "'; accepted: " + SwapSigMessageTypes.ALL);
    };
  }
}
