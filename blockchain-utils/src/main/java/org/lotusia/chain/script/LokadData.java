package org.lotusia.chain.script;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Optional;

/**
 * A LOKAD-tagged OP_RETURN output parsed as lotus-sdk's {@code BurnVerifier} does: {@code OP_RETURN
 * <prefix4> [<1-byte version>] [<payload pushes>...]}. The version must be an explicit one-byte
 * push (OP_1..OP_16 carry no data and are skipped); the payload is the concatenation of the data of
 * all chunks after the version.
 *
 * @param prefix the 4-byte LOKAD prefix
 * @param version the version byte, or -1 when the third element is not a one-byte push
 * @param payload concatenated payload bytes (possibly empty)
 */
public record LokadData(byte[] prefix, int version, byte[] payload) {

  /** Copies the arrays. */
  public LokadData {
    prefix = prefix.clone();
    payload = payload.clone();
  }

  /** A copy of the prefix. */
  @Override
  public byte[] prefix() {
    return prefix.clone();
  }

  /** A copy of the payload. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * Parses a data output. Returns empty unless the script is a data output ({@link
   * Script#isDataOut()}) with at least three elements and a 4-byte second element.
   */
  public static Optional<LokadData> parse(Script script) {
    if (!script.isDataOut()) {
      return Optional.empty();
    }
    List<ScriptChunk> chunks = script.chunks();
    if (chunks.size() < 3 || chunks.get(1).dataLength() != 4) {
      return Optional.empty();
    }
    int version = chunks.get(2).dataLength() == 1 ? chunks.get(2).data()[0] & 0xff : -1;
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (int i = 3; i < chunks.size(); i++) {
      byte[] d = chunks.get(i).data();
      if (d != null) {
        payload.writeBytes(d);
      }
    }
    return Optional.of(new LokadData(chunks.get(1).data(), version, payload.toByteArray()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LokadData l
        && java.util.Arrays.equals(l.prefix, prefix)
        && l.version == version
        && java.util.Arrays.equals(l.payload, payload);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(prefix) * 31
        + version * 17
        + java.util.Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    java.util.HexFormat h = java.util.HexFormat.of();
    return "LokadData[prefix="
        + h.formatHex(prefix)
        + ", version="
        + version
        + ", payload="
        + h.formatHex(payload)
        + "]";
  }
}
