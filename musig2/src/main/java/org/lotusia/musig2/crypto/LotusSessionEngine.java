package org.lotusia.musig2.crypto;

import java.security.SecureRandom;
import java.util.List;

/** {@link SessionEngine} for the Lotus variant (optionally with a Lotus Taproot tweak). */
final class LotusSessionEngine implements SessionEngine {
  private final LotusMuSig2 musig;
  private final LotusKeyAggContext ctx;
  private final byte[] message;
  private LotusSessionValues values;

  LotusSessionEngine(
      LotusMuSig2 musig, List<byte[]> keys, byte[] message, byte[] taprootMerkleRoot) {
    this.musig = musig;
    LotusKeyAggContext base = musig.keyAgg(keys);
    this.ctx = taprootMerkleRoot == null ? base : musig.taproot(base, taprootMerkleRoot);
    this.message = Scalars.message32(message).clone();
  }

  LotusKeyAggContext context() {
    return ctx;
  }

  @Override
  public List<byte[]> publicKeys() {
    return ctx.publicKeys();
  }

  @Override
  public byte[] aggregateKey() {
    return ctx.signingKey().encodeCompressed();
  }

  @Override
  public SecretNonce nonceGen(byte[] secretKey, int signerIndex, byte[] msg, SecureRandom random) {
    return musig.nonceGen(secretKey, signerIndex, ctx, msg, null, random);
  }

  @Override
  public void aggregateNonces(List<PublicNonce> nonces) {
    AggregateNonce agg;
    try {
      agg = musig.nonceAgg(nonces);
    } catch (IllegalArgumentException e) {
      throw new InvalidContributionException(Contribution.AGGNONCE, -1, e.getMessage(), e);
    }
    values = musig.sessionValues(ctx, agg, message);
  }

  @Override
  public byte[] sign(SecretNonce nonce, byte[] secretKey, int signerIndex) {
    return musig.partialSign(nonce, secretKey, ctx, signerIndex, values);
  }

  @Override
  public boolean verifyPartial(byte[] psig, PublicNonce nonce, int signerIndex) {
    return musig.partialVerify(psig, nonce, ctx, signerIndex, values);
  }

  @Override
  public byte[] aggregateSignatures(List<byte[]> psigs) {
    return musig.aggregate(psigs, ctx, values);
  }
}
