package org.lotusia.chain.tx;

import java.util.ArrayList;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;

/**
 * The Lotus transaction Merkle tree used by the txid and SIGHASH_LOTUS: a single leaf is its own
 * root with height 1; while more than one node remains, the height grows by one, an odd level is
 * padded with 32 zero bytes, and parents are {@code dSHA256(left || right)}. An empty list is
 * treated as one zero leaf. Stateless, thread-safe.
 */
public final class TxMerkle {

  /**
   * A Merkle root and the tree height.
   *
   * @param root 32-byte root
   * @param height tree height (1 for a single leaf)
   */
  public record Root(byte[] root, int height) {
    /** Copies the root. */
    public Root {
      root = root.clone();
    }

    /** A copy of the root. */
    @Override
    public byte[] root() {
      return root.clone();
    }
  }

  private TxMerkle() {}

  /** The root and height over the given 32-byte leaves (not modified). */
  public static Root compute(List<byte[]> leaves) {
    List<byte[]> level = new ArrayList<>(leaves);
    if (level.isEmpty()) {
      level.add(new byte[32]);
    }
    int height = 1;
    while (level.size() > 1) {
      height++;
      if ((level.size() & 1) == 1) {
        level.add(new byte[32]);
      }
      List<byte[]> next = new ArrayList<>(level.size() / 2);
      for (int i = 0; i < level.size(); i += 2) {
        next.add(Hashes.sha256d(level.get(i), level.get(i + 1)));
      }
      level = next;
    }
    if (height > 255) {
      throw new IllegalStateException("Merkle height does not fit a byte");
    }
    return new Root(level.get(0), height);
  }
}
