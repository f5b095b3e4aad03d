package org.lotusia.musig2.crypto;

import java.security.SecureRandom;
import java.util.List;

/** {@link SessionEngine} for the BIP327 variant (keys in KeySort order, optional tweaks). */
final class Bip327SessionEngine implements SessionEngine {
  private final Bip327MuSig2 musig;
  private final Bip340 bip340;
  private final Bip327KeyAggContext ctx;
  private final byte[] message;
  private Bip327SessionValues values;

  Bip327SessionEngine(
      Bip327MuSig2 musig,
      List<byte[]> keys,
      byte[] message,
      List<byte[]> tweaks,
      List<Boolean> xOnly) {
    this.musig = musig;
    this.bip340 = new Bip340(musig.curve());
    this.ctx = musig.keyAgg(Bip327MuSig2.keySort(keys), tweaks, xOnly);
    this.message = message.clone();
  }

  @Override
  public List<byte[]> publicKeys() {
    return ctx.publicKeys();
  }

  @Override
  public byte[] aggregateKey() {
    return ctx.xOnlyKey();
  }

  @Override
  public SecretNonce nonceGen(byte[] secretKey, int signerIndex, byte[] msg, SecureRandom random) {
    return musig.nonceGen(secretKey, ctx.key(signerIndex), ctx.xOnlyKey(), msg, null, random);
  }

  @Override
  public void aggregateNonces(List<PublicNonce> nonces) {
    values = musig.sessionValues(ctx, musig.nonceAggDecoded(nonces), message);
  }

  @Override
  public byte[] sign(SecretNonce nonce, byte[] secretKey, int signerIndex) {
    return musig.sign(nonce, secretKey, ctx, values);
  }

  @Override
  public boolean verifyPartial(byte[] psig, PublicNonce nonce, int signerIndex) {
    return musig.partialVerify(psig, nonce, ctx, signerIndex, values);
  }

  @Override
  public byte[] aggregateSignatures(List<byte[]> psigs) {
    byte[] sig = musig.partialSigAgg(psigs, ctx, values);
    if (!bip340.verify(ctx.xOnlyKey(), message, sig)) {
      throw new IllegalStateException("aggregated signature does not verify under BIP340");
    }
    return sig;
  }
}
