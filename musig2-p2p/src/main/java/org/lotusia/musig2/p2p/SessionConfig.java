package org.lotusia.musig2.p2p;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and limits of a {@link SessionManager}. Every limit on what the network can make the
 * manager hold has a setting here. Immutable; build with {@link #builder()}, whose defaults are
 * listed on each setter.
 *
 * @param announcementTtl lifetime of an announcement ({@code expiresAt - createdAt})
 * @param joinTimeout time for every signer to join, from creation or joining
 * @param nonceTimeout time for the nonce round (commitments included)
 * @param partialSignatureTimeout time for the partial-signature round
 * @param broadcastTimeout time each broadcaster in the priority list gets before the next takes
 *     over
 * @param maxClockSkew largest accepted difference between a payload timestamp and the local clock
 * @param maxAnnouncementTtl longest announcement lifetime accepted from others
 * @param maxSigners largest number of signers of a session
 * @param maxSessions largest number of sessions in progress
 * @param maxSessionsPerPeer largest number of sessions in progress created by one remote peer
 * @param maxDiscovered largest number of discovered announcements kept
 * @param maxDiscoveredPerPeer largest number of discovered announcements kept per publisher
 * @param maxInboundQueue largest number of network messages waiting for the manager's thread
 * @param maxMessagesPerSigner largest number of messages accepted from one signer in one session
 * @param maxDeferredPerSigner messages per signer held while they wait for their phase
 * @param relayBudgetPerTarget messages the creator relays from one signer to one other signer
 * @param maxMetadataBytes largest announcement metadata (as JSON text)
 * @param maxTopicMessageBytes largest announcement accepted from a topic
 * @param tombstoneTtl how long a finished session is remembered (late messages dropped quietly)
 */
public record SessionConfig(
    Duration announcementTtl,
    Duration joinTimeout,
    Duration nonceTimeout,
    Duration partialSignatureTimeout,
    Duration broadcastTimeout,
    Duration maxClockSkew,
    Duration maxAnnouncementTtl,
    int maxSigners,
    int maxSessions,
    int maxSessionsPerPeer,
    int maxDiscovered,
    int maxDiscoveredPerPeer,
    int maxInboundQueue,
    int maxMessagesPerSigner,
    int maxDeferredPerSigner,
    int relayBudgetPerTarget,
    int maxMetadataBytes,
    int maxTopicMessageBytes,
    Duration tombstoneTtl) {

  /**
   * @return the defaults
   */
  public static SessionConfig defaults() {
    return builder().build();
  }

  /**
   * @return a builder with the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link SessionConfig}. Not thread-safe. */
  public static final class Builder {
    private Duration announcementTtl = Duration.ofMinutes(5);
    private Duration joinTimeout = Duration.ofMinutes(5);
    private Duration nonceTimeout = Duration.ofSeconds(60);
    private Duration partialSignatureTimeout = Duration.ofSeconds(60);
    private Duration broadcastTimeout = Duration.ofSeconds(60);
    private Duration maxClockSkew = Duration.ofMinutes(5);
    private Duration maxAnnouncementTtl = Duration.ofMinutes(10);
    private int maxSigners = 50;
    private int maxSessions = 32;
    private int maxSessionsPerPeer = 4;
    private int maxDiscovered = 256;
    private int maxDiscoveredPerPeer = 8;
    private int maxInboundQueue = 4096;
    private int maxMessagesPerSigner = 16;
    private int maxDeferredPerSigner = 4;
    private int relayBudgetPerTarget = 8;
    private int maxMetadataBytes = 4096;
    private int maxTopicMessageBytes = 65_536;
    private Duration tombstoneTtl = Duration.ofMinutes(10);

    private Builder() {}

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
      }
      return d;
    }

    private static int atLeast(int v, int min, String name) {
      if (v < min) {
        throw new IllegalArgumentException(name + " must be at least " + min + ", got " + v);
      }
      return v;
    }

    /**
     * Default 5 min. lotus-sdk receivers refuse announcements whose {@code expiresAt} is more
     * than 5 min ahead (reference 6.2 P14), so keep it at most 5 min when they take part.
     *
     * @param d the lifetime
     * @return this
     */
    public Builder announcementTtl(Duration d) {
      this.announcementTtl = positive(d, "announcementTtl");
      return this;
    }

    /**
     * Default 5 min.
     *
     * @param d the timeout
     * @return this
     */
    public Builder joinTimeout(Duration d) {
      this.joinTimeout = positive(d, "joinTimeout");
      return this;
    }

    /**
     * Default 60 s (lotus-sdk's).
     *
     * @param d the timeout
     * @return this
     */
    public Builder nonceTimeout(Duration d) {
      this.nonceTimeout = positive(d, "nonceTimeout");
      return this;
    }

    /**
     * Default 60 s (lotus-sdk's).
     *
     * @param d the timeout
     * @return this
     */
    public Builder partialSignatureTimeout(Duration d) {
      this.partialSignatureTimeout = positive(d, "partialSignatureTimeout");
      return this;
    }

    /**
     * Default 60 s (lotus-sdk: 300 s).
     *
     * @param d the time each broadcaster gets
     * @return this
     */
    public Builder broadcastTimeout(Duration d) {
      this.broadcastTimeout = positive(d, "broadcastTimeout");
      return this;
    }

    /**
     * Default 5 min (lotus-sdk's).
     *
     * @param d the skew
     * @return this
     */
    public Builder maxClockSkew(Duration d) {
      this.maxClockSkew = positive(d, "maxClockSkew");
      return this;
    }

    /**
     * Default 10 min (lotus-sdk's {@code expiresAt - createdAt} limit).
     *
     * @param d the lifetime
     * @return this
     */
    public Builder maxAnnouncementTtl(Duration d) {
      this.maxAnnouncementTtl = positive(d, "maxAnnouncementTtl");
      return this;
    }

    /**
     * Default 50, at least 2, at most 1000.
     *
     * @param n the limit
     * @return this
     */
    public Builder maxSigners(int n) {
      this.maxSigners = atLeast(n, 2, "maxSigners");
      if (n > 1000) {
        throw new IllegalArgumentException("maxSigners must be at most 1000, got " + n);
      }
      return this;
    }

    /**
     * Default 32.
     *
     * @param n the limit
     * @return this
     */
    public Builder maxSessions(int n) {
      this.maxSessions = atLeast(n, 1, "maxSessions");
      return this;
    }

    /**
     * Default 4.
     *
     * @param n the limit
     * @return this
     */
    public Builder maxSessionsPerPeer(int n) {
      this.maxSessionsPerPeer = atLeast(n, 1, "maxSessionsPerPeer");
      return this;
    }

    /**
     * Default 256 in total, 8 per publisher.
     *
     * @param total the limit in total
     * @param perPeer the limit per publishing peer
     * @return this
     */
    public Builder maxDiscovered(int total, int perPeer) {
      this.maxDiscovered = atLeast(total, 1, "maxDiscovered");
      this.maxDiscoveredPerPeer = atLeast(perPeer, 1, "maxDiscoveredPerPeer");
      return this;
    }

    /**
     * Default 4096.
     *
     * @param n the limit
     * @return this
     */
    public Builder maxInboundQueue(int n) {
      this.maxInboundQueue = atLeast(n, 1, "maxInboundQueue");
      return this;
    }

    /**
     * Default 16 (an honest signer sends at most 5 per session).
     *
     * @param n the limit
     * @return this
     */
    public Builder maxMessagesPerSigner(int n) {
      this.maxMessagesPerSigner = atLeast(n, 6, "maxMessagesPerSigner");
      return this;
    }

    /**
     * Default 4: messages that arrive before their phase (reordering, or before the participant
     * list) are held, at most this many per signer of the session.
     *
     * @param n the limit
     * @return this
     */
    public Builder maxDeferredPerSigner(int n) {
      this.maxDeferredPerSigner = atLeast(n, 1, "maxDeferredPerSigner");
      return this;
    }

    /**
     * Default 8.
     *
     * @param n the limit
     * @return this
     */
    public Builder relayBudgetPerTarget(int n) {
      this.relayBudgetPerTarget = atLeast(n, 0, "relayBudgetPerTarget");
      return this;
    }

    /**
     * Default 4096 bytes.
     *
     * @param n the limit
     * @return this
     */
    public Builder maxMetadataBytes(int n) {
      this.maxMetadataBytes = atLeast(n, 2, "maxMetadataBytes");
      return this;
    }

    /**
     * Default 64 KiB.
     *
     * @param n the limit
     * @return this
     */
    public Builder maxTopicMessageBytes(int n) {
      this.maxTopicMessageBytes = atLeast(n, 1024, "maxTopicMessageBytes");
      return this;
    }

    /**
     * Default 10 min.
     *
     * @param d the time
     * @return this
     */
    public Builder tombstoneTtl(Duration d) {
      this.tombstoneTtl = positive(d, "tombstoneTtl");
      return this;
    }

    /**
     * @return the configuration
     * @throws IllegalArgumentException if the announcement lifetime exceeds what others accept
     */
    public SessionConfig build() {
      if (announcementTtl.compareTo(maxAnnouncementTtl) > 0) {
        throw new IllegalArgumentException(
            "announcementTtl " + announcementTtl + " exceeds maxAnnouncementTtl "
                + maxAnnouncementTtl);
      }
      return new SessionConfig(
          announcementTtl,
          joinTimeout,
          nonceTimeout,
          partialSignatureTimeout,
          broadcastTimeout,
          maxClockSkew,
          maxAnnouncementTtl,
          maxSigners,
          maxSessions,
          maxSessionsPerPeer,
          maxDiscovered,
          maxDiscoveredPerPeer,
          maxInboundQueue,
          maxMessagesPerSigner,
          maxDeferredPerSigner,
          relayBudgetPerTarget,
          maxMetadataBytes,
          maxTopicMessageBytes,
          tombstoneTtl);
    }
  }
}
