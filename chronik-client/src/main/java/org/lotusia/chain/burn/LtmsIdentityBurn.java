package org.lotusia.chain.burn;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.script.LokadData;
import org.lotusia.chain.script.Opcodes;
import org.lotusia.chain.script.Script;

/**
 * The burn-based identity format of lotus-sdk's MuSig2 layer ("LTMS" LOKAD):
 *
 * <pre>
 *   6a                 OP_RETURN
 *   04 4c544d53        push "LTMS"
 *   01 01              push version 0x01
 *   21 &lt;33 bytes&gt;      push compressed public key
 *   [further pushes]   appended to the payload
 * </pre>
 *
 * The amounts and maturation periods are lotus-sdk's {@code MUSIG2_BURN_REQUIREMENTS} and {@code
 * MUSIG2_MATURATION_PERIODS}.
 *
 * @param version the LOKAD version byte
 * @param publicKeyHex the 33-byte compressed public key as lowercase hex (a valid curve point)
 * @param extraPayloadHex payload bytes after the public key as lowercase hex (usually empty)
 */
public record LtmsIdentityBurn(int version, String publicKeyHex, String extraPayloadHex) {

  /** The LOKAD prefix "LTMS" as hex. */
  public static final String PREFIX_HEX = "4c544d53";

  private static final byte[] PREFIX_BYTES = {0x4c, 0x54, 0x4d, 0x53};

  /** The current LOKAD version. */
  public static final int VERSION = 1;

  /** Burn for registering an identity: 50 XPI. */
  public static final long IDENTITY_REGISTRATION_AMOUNT = 50_000_000L;

  /** Burn for adding a key: 10 XPI. */
  public static final long ADDITIONAL_KEY_AMOUNT = 10_000_000L;

  /** Burn for a signing request: 5 XPI. */
  public static final long SIGNING_REQUEST_AMOUNT = 5_000_000L;

  /** Burn for a weekly extension: 1 XPI. */
  public static final long WEEKLY_EXTENSION_AMOUNT = 1_000_000L;

  /** Burn for a key rotation: 5 XPI. */
  public static final long KEY_ROTATION_AMOUNT = 5_000_000L;

  /** Maturation of an identity registration, in blocks. */
  public static final int IDENTITY_REGISTRATION_MATURATION = 144;

  /** Maturation of a key rotation, in blocks. */
  public static final int KEY_ROTATION_MATURATION = 72;

  private static final HexFormat HEX = HexFormat.of();

  /** Returns a copy of the public key bytes. */
  public byte[] publicKey() {
    return HEX.parseHex(publicKeyHex);
  }

  /**
   * Builds the output script for a public key.
   *
   * @param compressedPublicKey a 33-byte compressed secp256k1 point
   * @return {@code 6a 04 4c544d53 01 01 21 <key>}
   * @throws IllegalArgumentException if the key is not a valid compressed point
   */
  public static byte[] script(byte[] compressedPublicKey) {
    if (compressedPublicKey.length != 33 || parsePublicKey(compressedPublicKey).isEmpty()) {
      throw new IllegalArgumentException("not a valid 33-byte compressed secp256k1 public key");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(42);
    out.write(Opcodes.OP_RETURN);
    out.write(4);
    out.writeBytes(PREFIX_BYTES);
    out.write(1);
    out.write(VERSION);
    out.write(33);
    out.writeBytes(compressedPublicKey);
    return out.toByteArray();
  }

  /**
   * Parses an output script as an LTMS identity burn.
   *
   * @param script output script bytes
   * @return the burn, or empty unless the script is a data output with prefix "LTMS", an explicit
   *     one-byte version push, and a payload starting with a valid compressed public key
   */
  public static Optional<LtmsIdentityBurn> parse(byte[] script) {
    Optional<LokadData> lokad = LokadData.parse(Script.of(script));
    if (lokad.isEmpty()
        || !Arrays.equals(lokad.get().prefix(), PREFIX_BYTES)
        || lokad.get().version() < 0) {
      return Optional.empty();
    }
    byte[] payload = lokad.get().payload();
    return parsePublicKey(payload)
        .map(
            key ->
                new LtmsIdentityBurn(
                    lokad.get().version(),
                    HEX.formatHex(key),
                    HEX.formatHex(Arrays.copyOfRange(payload, 33, payload.length))));
  }

  /**
   * Reads the public key at the start of a LOKAD payload, with a real curve check (lotus-sdk only
   * checks the first byte).
   *
   * @param payload LOKAD payload
   * @return the first 33 bytes if they are a compressed point on secp256k1, else empty
   */
  public static Optional<byte[]> parsePublicKey(byte[] payload) {
    if (payload == null || payload.length < 33 || (payload[0] != 0x02 && payload[0] != 0x03)) {
      return Optional.empty();
    }
    byte[] key = Arrays.copyOf(payload, 33);
    try {
      Secp256k1.defaultProvider().decode(key);
      return Optional.of(key);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
