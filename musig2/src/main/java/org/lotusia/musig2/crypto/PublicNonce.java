package org.lotusia.musig2.crypto;

import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * A signer's public nonce: two points {@code R1 = k1*G}, {@code R2 = k2*G}, neither at infinity.
 * Encoded as 66 bytes {@code cbytes(R1) || cbytes(R2)} (BIP327 {@code pubnonce}; lotus-sdk sends
 * the same two 33-byte halves as separate fields). Immutable and thread-safe.
 *
 * @param r1 first nonce point
 * @param r2 second nonce point
 */
public record PublicNonce(EcPoint r1, EcPoint r2) {

  /** Checks both points are present and finite. */
  public PublicNonce {
    Objects.requireNonNull(r1, "r1");
    Objects.requireNonNull(r2, "r2");
    if (r1.isInfinity() || r2.isInfinity()) {
      throw new IllegalArgumentException("public nonce points must not be infinity");
    }
  }

  /**
   * Decodes a 66-byte public nonce.
   *
   * @param curve the curve provider
   * @param encoded 66 bytes
   * @param signer the index of the signer who sent it, named in the error (-1 if unknown)
   * @return the nonce
   * @throws InvalidContributionException if the length is wrong or a half is not a valid point
   */
  public static PublicNonce decode(Secp256k1Provider curve, byte[] encoded, int signer) {
    if (encoded == null || encoded.length != 66) {
      throw new InvalidContributionException(
          Contribution.PUBNONCE,
          signer,
          "expected 66 bytes, got " + (encoded == null ? "null" : encoded.length));
    }
    EcPoint a = Points.cpoint(curve, Points.slice(encoded, 0, 33), Contribution.PUBNONCE, signer);
    EcPoint b = Points.cpoint(curve, Points.slice(encoded, 33, 66), Contribution.PUBNONCE, signer);
    return new PublicNonce(a, b);
  }

  /**
   * @return the 66-byte encoding {@code cbytes(R1) || cbytes(R2)}
   */
  public byte[] encode() {
    return Points.concat(r1.encodeCompressed(), r2.encodeCompressed());
  }
}
