package org.lotusia.swapsig.crypto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.lotusia.chain.crypto.TaggedHash;
import org.lotusia.chain.tx.OutPoint;

/**
 * The digests SwapSig signs or commits to, each a BIP340-style tagged hash with its own tag so
 * that no digest of one kind can be taken for another. I/O-free.
 */
public final class PoolDigests {

  /** Tag of the input ownership proof. */
  public static final String OWNERSHIP_TAG = "lotus-swapsig/v1/ownership";

  /** Tag of the destination commitment. */
  public static final String COMMITMENT_TAG = "lotus-swapsig/v1/destination-commitment";

  /** Tag of signed pool messages. */
  public static final String MESSAGE_TAG = "lotus-swapsig/v1/message";

  /** Tag of the pool announcement. */
  public static final String ANNOUNCEMENT_TAG = "lotus-swapsig/v1/announcement";

  private static final HexFormat HEX = HexFormat.of();

  private PoolDigests() {}

  /**
   * What the input's key signs to prove the participant owns it (reference 1.17.2: the UTXO's key,
   * a 4-byte little-endian output index; lotus-sdk signed with the node key and kept one byte of
   * the index). The signer key is bound in, so a proof cannot be replayed for another signer.
   *
   * @param poolIdHex the pool
   * @param input the registered input
   * @param signerKey the participant's 33-byte signer key
   * @return the 32-byte digest
   */
  public static byte[] ownership(String poolIdHex, OutPoint input, byte[] signerKey) {
    ByteBuffer b = ByteBuffer.allocate(32 + 32 + 4 + 33).order(ByteOrder.LITTLE_ENDIAN);
    b.put(HEX.parseHex(poolIdHex));
    b.put(HEX.parseHex(input.txidHex()));
    b.putInt((int) input.index());
    b.put(signerKey);
    return TaggedHash.hash(OWNERSHIP_TAG, b.array());
  }

  /**
   * The commitment to a destination, published at registration and checked at reveal.
   *
   * @param poolIdHex the pool
   * @param destinationScript the destination's output script
   * @param salt 32 random bytes that keep the commitment from being guessed
   * @return the 32-byte commitment
   */
  public static byte[] destinationCommitment(String poolIdHex, byte[] destinationScript, byte[] salt) {
    if (salt.length != 32) {
      throw new IllegalArgumentException("salt must be 32 bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(32 + 4 + destinationScript.length + 32);
    b.put(HEX.parseHex(poolIdHex)).putInt(destinationScript.length).put(destinationScript).put(salt);
    return TaggedHash.hash(COMMITMENT_TAG, b.array());
  }
}
