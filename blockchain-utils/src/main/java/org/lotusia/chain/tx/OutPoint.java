package org.lotusia.chain.tx;

import java.util.Arrays;
import java.util.HexFormat;
import org.lotusia.chain.encoding.ByteWriter;

/**
 * A reference to a transaction output: the txid in internal byte order (as serialised, the reverse
 * of the displayed hex) and the output index.
 *
 * @param txid 32-byte txid in internal (little-endian) order, copied
 * @param index output index, 0..2^32-1
 */
public record OutPoint(byte[] txid, long index) {

  /** Validates and copies. @throws IllegalArgumentException for a bad length or index */
  public OutPoint {
    if (txid == null || txid.length != 32) {
      throw new IllegalArgumentException("txid must be 32 bytes");
    }
    if (index < 0 || index > 0xffffffffL) {
      throw new IllegalArgumentException("output index out of uint32 range: " + index);
    }
    txid = txid.clone();
  }

  /** From the displayed (big-endian) txid hex, as Chronik and explorers show it. */
  public static OutPoint fromDisplayHex(String txidHex, long index) {
    byte[] b = HexFormat.of().parseHex(txidHex);
    if (b.length != 32) {
      throw new IllegalArgumentException("txid hex must be 64 characters, got " + txidHex.length());
    }
    return new OutPoint(reverse(b), index);
  }

  /** A copy of the internal-order txid. */
  @Override
  public byte[] txid() {
    return txid.clone();
  }

  /** The txid as displayed (reversed hex). */
  public String txidHex() {
    return HexFormat.of().formatHex(reverse(txid));
  }

  /** Writes {@code txid(32) || u32LE index}. */
  public void write(ByteWriter w) {
    w.bytes(txid).u32(index);
  }

  static byte[] reverse(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutPoint p && p.index == index && Arrays.equals(p.txid, txid);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(txid) * 31 + Long.hashCode(index);
  }

  @Override
  public String toString() {
    return txidHex() + ":" + index;
  }
}
