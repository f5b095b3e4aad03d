package org.lotusia.swapsig.plan;

import java.util.Arrays;
import org.lotusia.chain.tx.OutPoint;

/**
 * What the plan needs of one participant. Immutable.
 *
 * @param signerKey the 33-byte key it signs shared outputs with (fresh for the pool)
 * @param inputKey the 33-byte key of its registered P2PKH input, which also owns the refund leaf
 *     of the output it funds
 * @param input the registered input
 */
public record Member(byte[] signerKey, byte[] inputKey, OutPoint input) {

  /** Copies and validates. @throws IllegalArgumentException for keys that are not 33 bytes */
  public Member {
    if (signerKey == null || signerKey.length != 33) {
      throw new IllegalArgumentException("signer key must be 33 bytes");
    }
    if (inputKey == null || inputKey.length != 33) {
      throw new IllegalArgumentException("input key must be 33 bytes");
    }
    if (input == null) {
      throw new IllegalArgumentException("input must be set");
    }
    signerKey = signerKey.clone();
    inputKey = inputKey.clone();
  }

  /** @return a copy of the signer key */
  @Override
  public byte[] signerKey() {
    return signerKey.clone();
  }

  /** @return a copy of the input key */
  @Override
  public byte[] inputKey() {
    return inputKey.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Member m
        && Arrays.equals(signerKey, m.signerKey)
        && Arrays.equals(inputKey, m.inputKey)
        && input.equals(m.input);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signerKey) * 31 + input.hashCode();
  }

  @Override
  public String toString() {
    return "Member[input=" + input + "]";
  }
}
