package org.lotusia.chain.address;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.encoding.Base58;
import org.lotusia.chain.encoding.ByteWriter;
import org.lotusia.chain.script.Script;
import org.lotusia.chain.script.Scripts;

/**
 * A Lotus XAddress: {@code "lotus" || networkChar || Base58(typeByte || payload || checksum4)} with
 * {@code checksum = SHA256("lotus" || networkChar || typeByte || payload)[0..4]} (single SHA-256).
 * Type {@link #TYPE_SCRIPT_PUB_KEY} carries a full P2PKH or P2SH output script, type {@link
 * #TYPE_TAPROOT} a 33-byte Taproot commitment.
 *
 * <p>Decoding follows lotusd: the network character is the first upper-case letter, digit or {@code
 * '_'}; lotusd's legacy checksum (compact-size length prefixes before the token and payload) is
 * accepted too.
 *
 * @param network the network
 * @param type the type byte (0 or 2)
 * @param payload the payload (copied)
 */
public record XAddress(Network network, int type, byte[] payload) {

  /** The address token. */
  public static final String TOKEN = "lotus";

  /** Type byte: payload is a full output script (P2PKH or P2SH). */
  public static final int TYPE_SCRIPT_PUB_KEY = 0;

  /** Type byte: payload is a 33-byte Taproot commitment. */
  public static final int TYPE_TAPROOT = 2;

  /** Upper bound on the accepted address length, well above any valid address. */
  public static final int MAX_ADDRESS_LENGTH = 128;

  /**
   * Validates and copies.
   *
   * @throws IllegalArgumentException for an unknown type or a payload that does not fit the type
   */
  public XAddress {
    if (network == null) {
      throw new IllegalArgumentException("network must not be null");
    }
    payload = payload.clone();
    checkPayload(type, payload);
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** The address for an output script: P2PKH/P2SH as type 0, Taproot (without state) as type 2. */
  public static XAddress fromScript(Script script, Network network) {
    if (script.isP2pkh() || script.isP2sh()) {
      return new XAddress(network, TYPE_SCRIPT_PUB_KEY, script.bytes());
    }
    if (script.isP2tr()) {
      if (script.taprootState().isPresent()) {
        throw new IllegalArgumentException("a Taproot script with state has no XAddress");
      }
      return new XAddress(network, TYPE_TAPROOT, script.taprootCommitment());
    }
    throw new IllegalArgumentException(
        "no XAddress for script type " + script.type() + " (supported: P2PKH, P2SH, P2TR)");
  }

  /** The output script this address pays to. */
  public Script toScript() {
    return type == TYPE_TAPROOT ? Scripts.p2tr(payload) : Script.of(payload);
  }

  /** The address string. */
  public String encode() {
    byte[] check = checksum(network, type, payload);
    byte[] body = new byte[1 + payload.length + 4];
    body[0] = (byte) type;
    System.arraycopy(payload, 0, body, 1, payload.length);
    System.arraycopy(check, 0, body, 1 + payload.length, 4);
    return TOKEN + network.addressChar() + Base58.encode(body);
  }

  /**
   * Decodes an address string.
   *
   * @throws IllegalArgumentException with "bad prefix", "bad network character", "invalid Base58
   *     character", "bad length", "bad checksum", or "unknown address type" in the message
   */
  public static XAddress decode(String address) {
    if (address == null || address.isEmpty()) {
      throw new IllegalArgumentException("bad length: empty address");
    }
    if (address.length() > MAX_ADDRESS_LENGTH) {
      throw new IllegalArgumentException(
          "bad length: address has "
              + address.length()
              + " characters, limit "
              + MAX_ADDRESS_LENGTH);
    }
    int netPos = -1;
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
        netPos = i;
        break;
      }
    }
    if (netPos < 0) {
      throw new IllegalArgumentException(
          "bad network character: none found in address (expected '_', 'T' or 'R')");
    }
    String token = address.substring(0, netPos);
    if (!TOKEN.equals(token)) {
      throw new IllegalArgumentException("bad prefix '" + token + "' (expected '" + TOKEN + "')");
    }
    Network network = Network.fromAddressChar(address.charAt(netPos));
    byte[] body;
    try {
      body = Base58.decode(address.substring(netPos + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad address encoding: " + e.getMessage(), e);
    }
    if (body.length < 5) {
      throw new IllegalArgumentException(
          "bad length: decoded body has "
              + body.length
              + " bytes, need at least 5 (type + checksum)");
    }
    int type = body[0] & 0xff;
    byte[] payload = Arrays.copyOfRange(body, 1, body.length - 4);
    byte[] check = Arrays.copyOfRange(body, body.length - 4, body.length);
    if (!Arrays.equals(check, checksum(network, type, payload))
        && !Arrays.equals(check, legacyChecksum(network, type, payload))) {
      throw new IllegalArgumentException("bad checksum");
    }
    if (type == TYPE_TAPROOT && payload.length == 36) {
      Script s = Script.of(payload);
      if (s.isP2tr()) {
        payload = s.taprootCommitment();
      }
    }
    return new XAddress(network, type, payload);
  }

  private static void checkPayload(int type, byte[] payload) {
    if (type == TYPE_SCRIPT_PUB_KEY) {
      Script s = Script.of(payload);
      if (!s.isP2pkh() && !s.isP2sh()) {
        throw new IllegalArgumentException(
            "bad length or content: type-0 payload must be a 25-byte P2PKH or"
                + " 23-byte P2SH script, got "
                + payload.length
                + " bytes");
      }
    } else if (type == TYPE_TAPROOT) {
      if (payload.length != 33) {
        throw new IllegalArgumentException(
            "bad length: Taproot payload must be 33 bytes, got " + payload.length);
      }
      Secp256k1.defaultProvider().decode(payload);
    } else {
      throw new IllegalArgumentException("unknown address type " + type + " (expected 0 or 2)");
    }
  }

  private static byte[] checksum(Network network, int type, byte[] payload) {
    byte[] head = (TOKEN + network.addressChar()).getBytes(StandardCharsets.US_ASCII);
    return Arrays.copyOf(Hashes.sha256(head, new byte[] {(byte) type}, payload), 4);
  }

  /**
   * lotusd's pre-1.0.2 checksum: serialised (length-prefixed) token and payload, single SHA-256.
   */
  private static byte[] legacyChecksum(Network network, int type, byte[] payload) {
    ByteWriter w = new ByteWriter();
    w.varBytes(TOKEN.getBytes(StandardCharsets.US_ASCII))
        .u8(network.addressChar())
        .u8(type)
        .varBytes(payload);
    return Arrays.copyOf(Hashes.sha256(w.toByteArray()), 4);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XAddress a
        && a.network == network
        && a.type == type
        && Arrays.equals(a.payload, payload);
  }

  @Override
  public int hashCode() {
    return (network.hashCode() * 31 + type) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return encode();
  }
}
