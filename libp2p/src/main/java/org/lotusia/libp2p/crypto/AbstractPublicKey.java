package org.lotusia.libp2p.crypto;

import java.util.Arrays;

/** Common parts of the public key implementations: cached encodings, equality by encoding. */
abstract class AbstractPublicKey implements IdentityPublicKey {

  private final KeyType type;
  private final byte[] raw;
  private final byte[] encoded;

  AbstractPublicKey(KeyType type, byte[] raw) {
    this.type = type;
    this.raw = raw;
    this.encoded = KeyProtobuf.encodePublic(type, raw);
  }

  @Override
  public final KeyType type() {
    return type;
  }

  @Override
  public final byte[] raw() {
    return raw.clone();
  }

  @Override
  public final byte[] encoded() {
    return encoded.clone();
  }

  /** The raw bytes without copying, for subclasses. */
  final byte[] rawRef() {
    return raw;
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof AbstractPublicKey k && Arrays.equals(encoded, k.encoded);
  }

  @Override
  public final int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return type + "PublicKey(" + org.lotusia.libp2p.multiformats.Multibase.hex(raw) + ")";
  }
}
