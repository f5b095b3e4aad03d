package org.lotusia.musig2.crypto;

import java.util.Objects;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * The sum of all signers' public nonces: {@code (R1, R2)}. Under BIP327 either half may be infinity
 * (encoded as 33 zero bytes); the Lotus variant rejects infinity as lotus-sdk does. Immutable and
 * thread-safe.
 *
 * @param r1 sum of the first nonce points
 * @param r2 sum of the second nonce points
 */
public record AggregateNonce(EcPoint r1, EcPoint r2) {

  /** Checks both points are present. */
  public AggregateNonce {
    Objects.requireNonNull(r1, "r1");
    Objects.requireNonNull(r2, "r2");
  }

  /**
   * Decodes a 66-byte aggregate nonce ({@code cbytes_ext(R1) || cbytes_ext(R2)}).
   *
   * @param curve the curve provider
   * @param encoded 66 bytes
   * @return the aggregate nonce
   * @throws InvalidContributionException naming the aggregator if the encoding is invalid
   */
  public static AggregateNonce decode(Secp256k1Provider curve, byte[] encoded) {
    return decode(curve, encoded, Contribution.AGGNONCE);
  }

  static AggregateNonce decode(Secp256k1Provider curve, byte[] encoded, Contribution what) {
    if (encoded == null || encoded.length != 66) {
      throw new InvalidContributionException(
          what, -1, "expected 66 bytes, got " + (encoded == null ? "null" : encoded.length));
    }
    return new AggregateNonce(
        Points.cpointExt(curve, Points.slice(encoded, 0, 33), what, -1),
        Points.cpointExt(curve, Points.slice(encoded, 33, 66), what, -1));
  }

  /**
   * @return the 66-byte encoding, infinity halves as 33 zero bytes
   */
  public byte[] encode() {
    return Points.concat(Points.cbytesExt(r1), Points.cbytesExt(r2));
  }
}
