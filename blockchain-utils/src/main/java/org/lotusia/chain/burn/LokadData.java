package org.lotusia.chain.burn;

import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The LOKAD fields of a data output: a 4-byte protocol prefix pushed as the first chunk, an
 * optional one-byte version pushed as the second, and the remaining pushes concatenated as the
 * payload.
 *
 * @param prefixHex the 4-byte prefix as lowercase hex, for example {@code 4c544d53} ("LTMS")
 * @param version the version byte (0..255), or -1 when the second chunk is not a 1-byte push
 * @param payloadHex the concatenated data of chunks 3 and later as lowercase hex (may be empty)
 */
public record LokadData(String prefixHex, int version, String payloadHex) {

  private static final HexFormat HEX = HexFormat.of();

  /** Returns a copy of the prefix bytes. */
  public byte[] prefix() {
    return HEX.parseHex(prefixHex);
  }

  /** Returns the version if present. */
  public OptionalInt versionIfPresent() {
    return version < 0 ? OptionalInt.empty() : OptionalInt.of(version);
  }

  /** Returns a copy of the payload bytes. */
  public byte[] payload() {
    return HEX.parseHex(payloadHex);
  }

  /**
   * Reads the LOKAD fields the way lotus-sdk's {@code BurnVerifier} does: they exist only when the
   * script has at least three chunks after OP_RETURN and the first pushes exactly 4 bytes.
   *
   * @param script a parsed data output
   * @return the fields, or empty when the script carries no LOKAD prefix
   */
  public static Optional<LokadData> from(DataScript script) {
    if (script.size() < 2 || script.dataLength(0) != 4) {
      return Optional.empty();
    }
    int version = script.dataLength(1) == 1 ? script.data(1).orElseThrow()[0] & 0xff : -1;
    StringBuilder payload = new StringBuilder();
    for (int i = 2; i < script.size(); i++) {
      script.data(i).ifPresent(d -> payload.append(HEX.formatHex(d)));
    }
    return Optional.of(new LokadData(HEX.formatHex(script.data(0).orElseThrow()), version,
        payload.toString()));
  }
}
