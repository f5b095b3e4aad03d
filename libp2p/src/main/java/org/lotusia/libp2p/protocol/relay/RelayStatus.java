package org.lotusia.libp2p.protocol.relay;

/**
 * The status codes of circuit relay v2
 * (https://github.com/libp2p/specs/blob/master/relay/circuit-v2.md#protobuf), with their wire
 * values.
 */
public enum RelayStatus {
  /** Accepted. */
  OK(100),
  /** A reservation was refused, e.g. because the relay holds too many. */
  RESERVATION_REFUSED(200),
  /** Too many relayed connections from the initiator or to the target. */
  RESOURCE_LIMIT_EXCEEDED(201),
  /** Refused by policy (e.g. a reservation or connection over an already relayed connection). */
  PERMISSION_DENIED(202),
  /** The relay could not reach the target, or the target refused the circuit. */
  CONNECTION_FAILED(203),
  /** The target has no reservation on this relay. */
  NO_RESERVATION(204),
  /** The message could not be decoded or lacked a required field. */
  MALFORMED_MESSAGE(400),
  /** The message type is not valid at this point of the protocol. */
  UNEXPECTED_MESSAGE(401);

  private final int code;

  RelayStatus(int code) {
    this.code = code;
  }

  /** The wire value. */
  public int code() {
    return code;
  }

  /**
   * The status with the wire value {@code code}.
   *
   * @throws IllegalArgumentException when the value is not a known status
   */
  public static RelayStatus of(int code) {
    for (RelayStatus s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown circuit relay status " + code);
  }
}
