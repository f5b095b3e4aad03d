package org.lotusia.chain.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * BIP340 tagged hash {@code SHA256(SHA256(tag) || SHA256(tag) || parts...)}, tag as UTF-8. The hash
 * state after the 64-byte prefix is cached per tag and cloned per call. Thread-safe.
 */
public final class TaggedHash {

  private static final int MAX_CACHED_TAGS = 256;
  private static final ConcurrentHashMap<String, MessageDigest> PREFIXED =
      new ConcurrentHashMap<>();

  private TaggedHash() {}

  /** The tagged hash of the concatenation of the parts. */
  public static byte[] hash(String tag, byte[]... parts) {
    MessageDigest md = start(tag);
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  private static MessageDigest start(String tag) {
    MessageDigest prefix = PREFIXED.get(tag);
    if (prefix == null) {
      prefix = prefixFor(tag);
      if (PREFIXED.size() < MAX_CACHED_TAGS) {
        PREFIXED.putIfAbsent(tag, prefix);
      }
    }
    try {
      return (MessageDigest) prefix.clone();
    } catch (CloneNotSupportedException e) {
      // SUN's SHA-256 is cloneable; fall back to recomputing the prefix.
      return prefixFor(tag);
    }
  }

  private static MessageDigest prefixFor(String tag) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] tagHash = md.digest(tag.getBytes(StandardCharsets.UTF_8));
      md.reset();
      md.update(tagHash);
      md.update(tagHash);
      return md;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
