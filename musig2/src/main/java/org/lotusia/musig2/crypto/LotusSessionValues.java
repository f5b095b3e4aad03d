package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import org.lotusia.chain.crypto.EcPoint;

/**
 * Per-session values of the Lotus variant, computed once from the aggregate nonce and the message
 * (lotus-sdk computes them identically in signing, partial verification and aggregation).
 * Immutable.
 *
 * @param signingKey {@code Q} or the Taproot output key {@code Q'}
 * @param aggregateNonce the aggregate nonce {@code (R1, R2)}
 * @param nonceCoefficient {@code b = int(H_tag("MuSig/noncecoef", cbytes(Q) || R1 || R2 || m))},
 *     not reduced
 * @param finalNonce {@code R = R1 + b*R2} (never negated; its x is the signature's r)
 * @param negateNonce whether {@code Jacobi(R.y) != 1}, so nonces are negated when signing
 * @param challenge {@code e = int(SHA256(R.x || cbytes(Q) || m)) mod n}
 * @param message the 32-byte message digest
 */
public record LotusSessionValues(
    EcPoint signingKey,
    AggregateNonce aggregateNonce,
    BigInteger nonceCoefficient,
    EcPoint finalNonce,
    boolean negateNonce,
    BigInteger challenge,
    byte[] message) {

  /** Copies the message. */
  public LotusSessionValues {
    message = message.clone();
  }

  /**
   * @return a copy of the message digest
   */
  @Override
  public byte[] message() {
    return message.clone();
  }
}
