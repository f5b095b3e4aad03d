package org.lotusia.musig2.p2p.election;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;

/**
 * lotus-sdk's coordinator election and failover order (reference 3.9), computed identically by
 * every participant from the signer keys. Keys are sorted bytewise over their 33-byte compressed
 * encodings, as key aggregation does, and every index is a sorted index. The lexicographic backup
 * order uses byte order, not lotus-sdk's locale-dependent {@code localeCompare} (reference 6.2
 * P18); for lower-case hex of equal length the two agree. The priority list of every method names
 * each signer once, so failover reaches every index, 0 included (lotus-sdk's failover never runs
 * for index 0, P11). Stateless, thread-safe.
 */
public final class CoordinatorElection {

  private CoordinatorElection() {}

  /**
   * Runs an election.
   *
   * @param signerKeys the signers' 33-byte compressed keys, any order, at least one
   * @param method the election method
   * @return the election, in sorted-index space
   * @throws IllegalArgumentException if the list is empty or a key is not 33 bytes
   */
  public static Election elect(List<byte[]> signerKeys, ElectionMethod method) {
    if (signerKeys == null || signerKeys.isEmpty()) {
      throw new IllegalArgumentException("an election needs at least one signer key");
    }
    List<byte[]> sorted = new ArrayList<>(signerKeys.size());
    for (byte[] k : signerKeys) {
      if (k == null || k.length != 33) {
        throw new IllegalArgumentException("signer keys must be 33-byte compressed keys");
      }
      sorted.add(k.clone());
    }
    sorted.sort(Arrays::compareUnsigned);
    int n = sorted.size();
    byte[] proof = proofDigest(sorted);
    int coordinator =
        switch (method) {
          case LEXICOGRAPHIC, FIRST_SIGNER -> 0;
          case LAST_SIGNER -> n - 1;
          case HASH_BASED -> (int) (readU32(proof) % n);
        };
    List<Integer> priority = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      priority.add(
          switch (method) {
            case LEXICOGRAPHIC, FIRST_SIGNER -> i;
            case LAST_SIGNER -> n - 1 - i;
            case HASH_BASED -> (coordinator + i) % n;
          });
    }
    return new Election(method, coordinator, priority, HexFormat.of().formatHex(proof));
  }

  /**
   * lotus-sdk's backup coordinator: the next index after {@code current} in the method's order,
   * or -1 where lotus-sdk returns {@code null} (the end of a non-wrapping order, or a single
   * signer).
   *
   * @param signerCount the number of signers
   * @param method the method
   * @param current the current coordinator index
   * @return the backup index or -1
   */
  public static int backup(int signerCount, ElectionMethod method, int current) {
    if (current < 0 || current >= signerCount) {
      throw new IllegalArgumentException(
          "coordinator index " + current + " out of range [0, " + signerCount + ")");
    }
    if (signerCount == 1) {
      return -1;
    }
    return switch (method) {
      case LEXICOGRAPHIC, HASH_BASED -> (current + 1) % signerCount;
      case FIRST_SIGNER -> current + 1 < signerCount ? current + 1 : -1;
      case LAST_SIGNER -> current - 1;
    };
  }

  private static byte[] proofDigest(List<byte[]> sorted) {
    // lotus-sdk hashes the JS-sorted lower-case hex strings concatenated; for equal-length
    // lower-case hex, JS string order is byte order, so the sorted list serves as is.
    StringBuilder sb = new StringBuilder(sorted.size() * 66);
    HexFormat hex = HexFormat.of();
    for (byte[] k : sorted) {
      sb.append(hex.formatHex(k));
    }
    return Hashes.sha256(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static long readU32(byte[] b) {
    return ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
  }
}
