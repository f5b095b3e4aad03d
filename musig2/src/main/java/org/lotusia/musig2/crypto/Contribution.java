package org.lotusia.musig2.crypto;

/** The kind of input a signer (or the nonce aggregator) contributed to a MuSig2 session. */
public enum Contribution {
  /** An individual public key. */
  PUBKEY,
  /** A signer's public nonce (two points). */
  PUBNONCE,
  /** An aggregate nonce supplied by a nonce aggregator. */
  AGGNONCE,
  /** The aggregate of the other signers' nonces (deterministic signing). */
  AGGOTHERNONCE,
  /** A partial signature. */
  PSIG
}
