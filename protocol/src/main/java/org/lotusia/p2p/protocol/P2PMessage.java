package org.lotusia.p2p.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One lotus-sdk {@code P2PMessage}: the JSON object sent on {@code /lotus/message/1.0.0}.
 *
 * <p>Components in lotus-sdk's field order (also the order of the JSON text): {@code type}, {@code
 * from}, {@code to}, {@code payload}, {@code timestamp}, {@code messageId}, {@code signature},
 * {@code protocol}. A {@code null} component is an absent field and is omitted from the JSON, as
 * {@code JSON.stringify} omits {@code undefined}. A JSON {@code null} payload is a {@link
 * com.fasterxml.jackson.databind.node.NullNode}, not Java {@code null}. {@code timestamp} is
 * milliseconds since the Unix epoch; 0 means "missing" and fails validation like in lotus-sdk.
 *
 * <p>Immutable except for {@code payload}: a Jackson tree is mutable, so the message takes
 * ownership of the tree it is given and callers must not modify it afterwards. The signature array
 * is copied in and out. Thread-safe under that rule.
 *
 * @param type application message type (required by validation; non-empty)
 * @param from sender peer id as the sender claims it (required by validation; non-empty)
 * @param to optional target peer id
 * @param payload optional payload, any JSON value
 * @param timestamp sender's clock in ms since the epoch (required by validation; non-zero)
 * @param messageId sender-chosen id (required by validation; non-empty)
 * @param signature optional signature bytes (written as a Node {@code Buffer} object)
 * @param protocol optional routing key: the {@code protocolName} of the receiving handler
 */
public record P2PMessage(
    String type,
    String from,
    String to,
    JsonNode payload,
    long timestamp,
    String messageId,
    byte[] signature,
    String protocol) {

  /**
   * Creates a message; the signature is copied so the record stays immutable.
   *
   * @param type see the record description
   * @param from see the record description
   * @param to see the record description
   * @param payload see the record description
   * @param timestamp see the record description
   * @param messageId see the record description
   * @param signature see the record description
   * @param protocol see the record description
   */
  public P2PMessage {
    signature = signature == null ? null : signature.clone();
  }

  /**
   * Returns a copy of the signature bytes, or {@code null} if the message has none.
   *
   * @return the signature or {@code null}
   */
  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }

  /**
   * Whether the message carries a signature.
   *
   * @return true if {@code signature} is present
   */
  public boolean hasSignature() {
    return signature != null;
  }

  /**
   * Returns this message with another signature.
   *
   * @param newSignature the signature bytes, or {@code null} to remove it
   * @return a new message equal to this one except for the signature
   */
  public P2PMessage withSignature(byte[] newSignature) {
    return new P2PMessage(type, from, to, payload, timestamp, messageId, newSignature, protocol);
  }

  /** Signature length without copying, for internal size estimates. */
  int signatureLength() {
    return signature == null ? 0 : signature.length;
  }

  /** Direct access to the signature for encoders in this package; never exposed. */
  byte[] signatureUnsafe() {
    return signature;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof P2PMessage m)) {
      return false;
    }
    return timestamp == m.timestamp
        && Objects.equals(type, m.type)
        && Objects.equals(from, m.from)
        && Objects.equals(to, m.to)
        && Objects.equals(payload, m.payload)
        && Objects.equals(messageId, m.messageId)
        && Arrays.equals(signature, m.signature)
        && Objects.equals(protocol, m.protocol);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(type, from, to, payload, timestamp, messageId, protocol);
    return 31 * h + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "P2PMessage[type="
        + type
        + ", from="
        + from
        + ", to="
        + to
        + ", timestamp="
        + timestamp
        + ", messageId="
        + messageId
        + ", protocol="
        + protocol
        + ", signature="
        + (signature == null ? "none" : HexFormat.of().formatHex(signature))
        + ", payload="
        + (payload == null ? "absent" : payload.getNodeType())
        + "]";
  }
}
