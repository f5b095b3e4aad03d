package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import org.lotusia.chain.crypto.EcPoint;

/**
 * BIP327 GetSessionValues output {@code (Q, gacc, tacc, b, R, e)} plus the aggregate nonce and
 * message they were derived from. Immutable.
 *
 * @param aggregateNonce the aggregate nonce
 * @param nonceCoefficient {@code b = int(H_tag("MuSig/noncecoef", aggnonce || xbytes(Q) || m)) mod
 *     n}
 * @param finalNonce {@code R = R1 + b*R2}, or G if that is infinity
 * @param challenge {@code e = int(H_tag("BIP0340/challenge", xbytes(R) || xbytes(Q) || m)) mod n}
 * @param message the message (any length)
 */
public record Bip327SessionValues(
    AggregateNonce aggregateNonce,
    BigInteger nonceCoefficient,
    EcPoint finalNonce,
    BigInteger challenge,
    byte[] message) {

  /** Copies the message. */
  public Bip327SessionValues {
    message = message.clone();
  }

  /**
   * @return a copy of the message
   */
  @Override
  public byte[] message() {
    return message.clone();
  }
}
