package org.lotusia.libp2p.crypto;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1Primitive;

/** Strict parsing of a single DER object that must occupy the whole input. */
final class Der {

  private Der() {}

  /**
   * Parses {@code data} as one ASN.1 object.
   *
   * @param data the encoding
   * @param what what the data should be, for the error message
   * @return the parsed object, never null
   * @throws IllegalArgumentException if the data is empty, malformed or has trailing bytes
   */
  static ASN1Primitive parse(byte[] data, String what) {
    ASN1Primitive p;
    try {
      p = ASN1Primitive.fromByteArray(data);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(what + " is not valid DER: " + e.getMessage(), e);
    }
    if (p == null) {
      throw new IllegalArgumentException(what + " is empty");
    }
    return p;
  }
}
