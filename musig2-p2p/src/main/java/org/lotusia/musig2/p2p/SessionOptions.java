package org.lotusia.musig2.p2p;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import org.lotusia.musig2.p2p.election.ElectionMethod;

/**
 * Per-session choices of the creator, carried in the signed announcement so that every joiner
 * follows them. Immutable; build with {@link #builder()}.
 *
 * @param taprootMerkleRoot null for a plain session (Lotus Schnorr under the aggregate key); 32
 *     bytes for a Lotus Taproot key-path session under the tweaked key (all zero for key path only)
 * @param electionMethod who finalises and broadcasts, and the failover order
 * @param nonceCommitments whether signers commit to their nonces before revealing them
 * @param metadata application metadata announced with the session, or null
 */
public record SessionOptions(
    byte[] taprootMerkleRoot,
    ElectionMethod electionMethod,
    boolean nonceCommitments,
    ObjectNode metadata) {

  /** Copies the mutable parts. */
  public SessionOptions {
    if (taprootMerkleRoot != null) {
      if (taprootMerkleRoot.length != 32) {
        throw new IllegalArgumentException("Taproot merkle root must be 32 bytes");
      }
      taprootMerkleRoot = taprootMerkleRoot.clone();
    }
    Objects.requireNonNull(electionMethod, "electionMethod");
    metadata = metadata == null ? null : metadata.deepCopy();
  }

  /**
   * @return a copy of the {@code taprootMerkleRoot} component (null when absent)
   */
  @Override
  public byte[] taprootMerkleRoot() {
    return taprootMerkleRoot == null ? null : taprootMerkleRoot.clone();
  }

  /**
   * @return a copy of the {@code metadata} component (null when absent)
   */
  @Override
  public ObjectNode metadata() {
    return metadata == null ? null : metadata.deepCopy();
  }

  /**
   * @return a plain session, lexicographic election, no commitment round, no metadata
   */
  public static SessionOptions defaults() {
    return builder().build();
  }

  /**
   * @return a builder with the defaults of {@link #defaults()}
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link SessionOptions}. Not thread-safe. */
  public static final class Builder {
    private byte[] taprootMerkleRoot;
    private ElectionMethod electionMethod = ElectionMethod.LEXICOGRAPHIC;
    private boolean nonceCommitments;
    private ObjectNode metadata;

    private Builder() {}

    /**
     * A Lotus Taproot key-path spend of a key-path-only output (merkle root of 32 zero bytes).
     * Default: plain.
     *
     * @return this
     */
    public Builder taproot() {
      return taproot(new byte[32]);
    }

    /**
     * A Lotus Taproot key-path spend of an output with a script tree. Default: plain.
     *
     * @param merkleRoot 32 bytes
     * @return this
     */
    public Builder taproot(byte[] merkleRoot) {
      this.taprootMerkleRoot = merkleRoot.clone();
      return this;
    }

    /**
     * Default {@link ElectionMethod#LEXICOGRAPHIC}.
     *
     * @param m the method
     * @return this
     */
    public Builder electionMethod(ElectionMethod m) {
      this.electionMethod = Objects.requireNonNull(m, "electionMethod");
      return this;
    }

    /**
     * Default false.
     *
     * @param on whether to run the nonce-commitment round
     * @return this
     */
    public Builder nonceCommitments(boolean on) {
      this.nonceCommitments = on;
      return this;
    }

    /**
     * Default none.
     *
     * @param m a JSON object (copied)
     * @return this
     */
    public Builder metadata(ObjectNode m) {
      this.metadata = m == null ? null : m.deepCopy();
      return this;
    }

    /**
     * @return the options
     */
    public SessionOptions build() {
      return new SessionOptions(taprootMerkleRoot, electionMethod, nonceCommitments, metadata);
    }
  }
}
