package org.lotusia.musig2.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * BIP340 tagged hash {@code SHA256(SHA256(tag) || SHA256(tag) || x)} with the 64-byte prefix
 * absorbed once, so each hash clones a prepared digest instead of re-hashing the tag. Thread-safe:
 * the prototype is never updated after construction.
 */
final class TaggedHasher {
  static final TaggedHasher KEYAGG_LIST = new TaggedHasher("KeyAgg list");
  static final TaggedHasher KEYAGG_COEFF = new TaggedHasher("KeyAgg coefficient");
  static final TaggedHasher NONCE_COEF = new TaggedHasher("MuSig/noncecoef");
  static final TaggedHasher AUX = new TaggedHasher("MuSig/aux");
  static final TaggedHasher NONCE = new TaggedHasher("MuSig/nonce");
  static final TaggedHasher DET_NONCE = new TaggedHasher("MuSig/deterministic/nonce");
  static final TaggedHasher BIP340_CHALLENGE = new TaggedHasher("BIP0340/challenge");
  static final TaggedHasher BIP340_AUX = new TaggedHasher("BIP0340/aux");
  static final TaggedHasher BIP340_NONCE = new TaggedHasher("BIP0340/nonce");

  private final MessageDigest prototype;

  TaggedHasher(String tag) {
    MessageDigest md = sha256();
    byte[] tagHash = md.digest(tag.getBytes(StandardCharsets.UTF_8));
    md.update(tagHash);
    md.update(tagHash);
    this.prototype = md;
  }

  /** Hashes the concatenation of the parts under this tag. */
  byte[] hash(byte[]... parts) {
    MessageDigest md = copy();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  /** A digest already primed with the tag prefix, for callers that stream many parts. */
  MessageDigest copy() {
    try {
      return (MessageDigest) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest is not cloneable", e);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
