package org.lotusia.chain.script;

import java.util.HexFormat;

/**
 * The (script type, payload) pair that addresses an output script in Chronik's script endpoints
 * ({@code /script/{type}/{payloadHex}/utxos|history}, websocket subscriptions). Values: {@code
 * p2pkh}/{@code p2sh} with a 20-byte hash, {@code p2pk} with the public key, {@code
 * p2tr-commitment} with the 33-byte commitment, {@code p2tr-state} with the 32-byte state, or
 * {@code other} with the full script.
 *
 * @param type Chronik script type name
 * @param payload payload bytes (copied)
 */
public record ChronikScript(String type, byte[] payload) {

  /** Copies the payload. */
  public ChronikScript {
    if (type == null || type.isEmpty()) {
      throw new IllegalArgumentException("type must not be empty");
    }
    payload = payload.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Lower-case hex of the payload, as used in the URL path. */
  public String payloadHex() {
    return HexFormat.of().formatHex(payload);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChronikScript c
        && c.type.equals(type)
        && java.util.Arrays.equals(c.payload, payload);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return type + "/" + payloadHex();
  }
}
