package org.lotusia.libp2p.crypto;

import java.security.MessageDigest;

/** Common parts of the private key implementations: type, public key, constant-time equality. */
abstract class AbstractPrivateKey implements IdentityPrivateKey {

  private final KeyType type;

  AbstractPrivateKey(KeyType type) {
    this.type = type;
  }

  @Override
  public final KeyType type() {
    return type;
  }

  @Override
  public final boolean equals(Object o) {
    return o instanceof AbstractPrivateKey k && MessageDigest.isEqual(encoded(), k.encoded());
  }

  @Override
  public final int hashCode() {
    return publicKey().hashCode();
  }

  /** Shows the type and the public key only; never secret material. */
  @Override
  public final String toString() {
    return type + "PrivateKey(public=" + publicKey() + ")";
  }
}
