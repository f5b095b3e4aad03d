package org.lotusia.musig2.crypto;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.lotusia.chain.crypto.EcPoint;

/**
 * BIP327 KeyAgg Context {@code (Q, gacc, tacc)} together with the individual keys it was built from
 * (in the caller's order; BIP327 does not sort unless {@link Bip327MuSig2#keySort} is used) and
 * their coefficients. Tweaks are applied with {@link Bip327MuSig2#applyTweak}, which returns a new
 * context. Immutable and thread-safe.
 */
public final class Bip327KeyAggContext {
  private final List<byte[]> keys;
  private final EcPoint[] points;
  private final BigInteger[] coefficients; // reduced mod n
  private final EcPoint q;
  private final BigInteger gacc;
  private final BigInteger tacc;

  Bip327KeyAggContext(
      List<byte[]> keys,
      EcPoint[] points,
      BigInteger[] coefficients,
      EcPoint q,
      BigInteger gacc,
      BigInteger tacc) {
    this.keys = keys;
    this.points = points;
    this.coefficients = coefficients;
    this.q = q;
    this.gacc = gacc;
    this.tacc = tacc;
  }

  Bip327KeyAggContext withTweak(EcPoint q2, BigInteger gacc2, BigInteger tacc2) {
    return new Bip327KeyAggContext(keys, points, coefficients, q2, gacc2, tacc2);
  }

  static List<byte[]> copyKeys(List<byte[]> in) {
    List<byte[]> out = new ArrayList<>(in.size());
    for (byte[] k : in) {
      out.add(k.clone());
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * @return the number of individual keys
   */
  public int size() {
    return keys.size();
  }

  /**
   * @return copies of the individual 33-byte keys, in aggregation order
   */
  public List<byte[]> publicKeys() {
    List<byte[]> out = new ArrayList<>(keys.size());
    for (byte[] k : keys) {
      out.add(k.clone());
    }
    return out;
  }

  /**
   * @param publicKey a 33-byte key
   * @return its first index in {@link #publicKeys()}, or -1
   */
  public int indexOf(byte[] publicKey) {
    for (int i = 0; i < keys.size(); i++) {
      if (Arrays.equals(keys.get(i), publicKey)) {
        return i;
      }
    }
    return -1;
  }

  byte[] key(int index) {
    return keys.get(index).clone();
  }

  EcPoint point(int index) {
    return points[index];
  }

  BigInteger coefficient(int index) {
    return coefficients[index];
  }

  /**
   * @return the (possibly tweaked) aggregate point Q
   */
  public EcPoint aggregateKey() {
    return q;
  }

  /**
   * @return GetXonlyPubkey: the 32-byte x-only aggregate key (what BIP340 signatures verify under)
   */
  public byte[] xOnlyKey() {
    return q.xOnly();
  }

  /**
   * @return GetPlainPubkey: the 33-byte compressed aggregate key
   */
  public byte[] plainKey() {
    return q.encodeCompressed();
  }

  BigInteger gacc() {
    return gacc;
  }

  BigInteger tacc() {
    return tacc;
  }
}
