package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.lotusia.chain.crypto.EcPoint;

/**
 * Result of Lotus key aggregation (lotus-sdk {@code musigKeyAgg}): the keys sorted bytewise, their
 * coefficients, and the aggregate key {@code Q}; optionally with a Lotus Taproot tweak {@code t},
 * in which case {@link #signingKey()} is the output key {@code Q' = Q + t*G} used in the nonce
 * coefficient and the challenge.
 *
 * <p>Signer indices are positions in {@link #publicKeys()} (the sorted list), never the caller's
 * order. Immutable and thread-safe.
 */
public final class LotusKeyAggContext {
  private final List<byte[]> sortedKeys;
  private final EcPoint[] points;
  private final BigInteger[] coefficients; // as hashed (unreduced), like lotus-sdk
  private final byte[] listHash;
  private final EcPoint internalKey;
  private final BigInteger tweak; // null without Taproot
  private final EcPoint signingKey;

  LotusKeyAggContext(
      List<byte[]> sortedKeys,
      EcPoint[] points,
      BigInteger[] coefficients,
      byte[] listHash,
      EcPoint internalKey,
      BigInteger tweak,
      EcPoint signingKey) {
    List<byte[]> copy = new ArrayList<>(sortedKeys.size());
    for (byte[] k : sortedKeys) {
      copy.add(k.clone());
    }
    this.sortedKeys = Collections.unmodifiableList(copy);
    this.points = points;
    this.coefficients = coefficients;
    this.listHash = listHash;
    this.internalKey = internalKey;
    this.tweak = tweak;
    this.signingKey = signingKey;
  }

  /**
   * @return the number of signers
   */
  public int size() {
    return sortedKeys.size();
  }

  /**
   * @return copies of the 33-byte keys in sorted order (index = signer index)
   */
  public List<byte[]> publicKeys() {
    List<byte[]> out = new ArrayList<>(sortedKeys.size());
    for (byte[] k : sortedKeys) {
      out.add(k.clone());
    }
    return out;
  }

  /**
   * @param index a signer index
   * @return a copy of that signer's 33-byte key
   */
  public byte[] publicKey(int index) {
    checkIndex(index);
    return sortedKeys.get(index).clone();
  }

  EcPoint point(int index) {
    return points[index];
  }

  /**
   * @param publicKey a 33-byte compressed key
   * @return the first sorted index holding that key, or -1
   */
  public int indexOf(byte[] publicKey) {
    for (int i = 0; i < sortedKeys.size(); i++) {
      if (Arrays.equals(sortedKeys.get(i), publicKey)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * @param index a signer index
   * @return the key-aggregation coefficient {@code a_i} as 32 bytes (the hash value, not reduced
   *     mod n)
   */
  public byte[] coefficient(int index) {
    checkIndex(index);
    return Scalars.to32(coefficients[index]);
  }

  BigInteger coefficientModN(int index) {
    return coefficients[index].mod(Scalars.N);
  }

  /**
   * @return {@code L = H_tag("KeyAgg list", S[0] || ... || S[u-1])}
   */
  public byte[] listHash() {
    return listHash.clone();
  }

  /**
   * @return the untweaked aggregate key {@code Q} (the Taproot internal key)
   */
  public EcPoint aggregateKey() {
    return internalKey;
  }

  /**
   * @return the key the final signature verifies under: {@code Q}, or {@code Q'} when
   *     Taproot-tweaked
   */
  public EcPoint signingKey() {
    return signingKey;
  }

  /**
   * @return whether this context carries a Taproot tweak
   */
  public boolean isTaproot() {
    return tweak != null;
  }

  /**
   * @return the TapTweak scalar {@code t} as 32 bytes
   * @throws IllegalStateException if the context is not Taproot-tweaked
   */
  public byte[] taprootTweak() {
    if (tweak == null) {
      throw new IllegalStateException("context has no Taproot tweak");
    }
    return Scalars.to32(tweak);
  }

  BigInteger tweakOrNull() {
    return tweak;
  }

  LotusKeyAggContext withTweak(BigInteger t, EcPoint outputKey) {
    if (tweak != null) {
      throw new IllegalStateException("context is already Taproot-tweaked");
    }
    return new LotusKeyAggContext(
        sortedKeys, points, coefficients, listHash, internalKey, t, outputKey);
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= sortedKeys.size()) {
      throw new IllegalArgumentException(
          "signer index " + index + " out of range [0, " + sortedKeys.size() + ")");
    }
  }
}
