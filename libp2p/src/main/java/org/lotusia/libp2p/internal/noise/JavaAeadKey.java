package org.lotusia.libp2p.internal.noise;

/** An {@link AeadKey} of {@link AeadImplementation#JAVA}: one {@link ChaCha20Poly1305}. */
final class JavaAeadKey extends AeadKey {

  private final ChaCha20Poly1305 aead;

  JavaAeadKey(byte[] key) {
    this.aead = new ChaCha20Poly1305(key);
  }

  @Override
  AeadImplementation implementation() {
    return AeadImplementation.JAVA;
  }

  @Override
  int seal(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    return aead.seal(0, nonce, ad, 0, ad.length, in, inOff, len, out, outOff);
  }

  @Override
  int open(long nonce, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
    return aead.open(0, nonce, ad, 0, ad.length, in, inOff, len, out, outOff);
  }

  @Override
  void destroy() {
    aead.destroy();
  }
}
