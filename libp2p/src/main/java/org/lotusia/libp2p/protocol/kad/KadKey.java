package org.lotusia.libp2p.protocol.kad;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.lotusia.libp2p.PeerId;

/**
 * A point in the Kademlia key space: the SHA-256 of a peer ID's bytes or of a record or provider
 * key (kad-dht spec, "Distance"). Distances are the XOR of two points read as a 256-bit unsigned
 * integer.
 */
final class KadKey {
  static final int BITS = 256;

  private final byte[] hash;

  private KadKey(byte[] hash) {
    this.hash = hash;
  }

  /** The point of arbitrary key bytes. */
  static KadKey of(byte[] key) {
    try {
      return new KadKey(MessageDigest.getInstance("SHA-256").digest(key));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from the JDK", e);
    }
  }

  /** The point of a peer: SHA-256 over its peer ID bytes. */
  static KadKey of(PeerId peer) {
    return of(peer.toBytes());
  }

  /** Wraps an already hashed 32-byte point (tests). */
  static KadKey ofHash(byte[] hash) {
    if (hash.length != 32) {
      throw new IllegalArgumentException("a key-space point is 32 bytes, got " + hash.length);
    }
    return new KadKey(hash.clone());
  }

  /** The number of leading bits this point shares with {@code other} (256 when equal). */
  int commonPrefixLength(KadKey other) {
    for (int i = 0; i < hash.length; i++) {
      int x = (hash[i] ^ other.hash[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return BITS;
  }

  /**
   * Compares the distances of {@code a} and {@code b} to this point: negative when {@code a} is
   * closer.
   */
  int compareDistance(KadKey a, KadKey b) {
    for (int i = 0; i < hash.length; i++) {
      int da = (hash[i] ^ a.hash[i]) & 0xff;
      int db = (hash[i] ^ b.hash[i]) & 0xff;
      if (da != db) {
        return Integer.compare(da, db);
      }
    }
    return 0;
  }

  /** The XOR distance to {@code other} as 32 big-endian bytes. */
  byte[] distance(KadKey other) {
    byte[] d = new byte[hash.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (hash[i] ^ other.hash[i]);
    }
    return d;
  }

  byte[] bytes() {
    return hash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KadKey k && Arrays.equals(hash, k.hash);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hash);
  }
}
