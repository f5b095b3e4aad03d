package org.lotusia.swapsig.wire;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;
import org.lotusia.chain.crypto.PrivateKey;

/**
 * A SwapSig message payload. Every payload names its pool, carries its sender's timestamp and is
 * signed ({@link Signing}); the record types are the message types of {@link SwapSigMessageTypes}.
 */
public sealed interface PoolMessage
    permits ParticipantRegistration,
        RegistrationAck,
        Roster,
        SetupSubmission,
        SetupComplete,
        DestinationReveal,
        SettlementBroadcast,
        PoolAbort,
        ParticipantDropped {

  /** @return the message type */
  String type();

  /** @return the pool */
  String poolId();

  /** @return the sender's timestamp, ms since the epoch */
  long timestamp();

  /** @return the signature as hex, or null before signing */
  String signature();

  /** @return the payload as JSON, with the signature when present */
  ObjectNode toJson();

  /**
   * @param key the sender's key
   * @return the signed payload
   */
  default ObjectNode signedJson(PrivateKey key) {
    return Signing.sign(type(), toJson(), key);
  }

  /**
   * Checks the signature against a key.
   *
   * @param publicKeyHex the 33-byte key as hex
   * @return whether it verifies
   */
  default boolean verify(String publicKeyHex) {
    return Signing.verify(type(), toJson(), publicKeyHex);
  }

  /** Lower-case hex of bytes. */
  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
