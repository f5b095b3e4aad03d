package org.lotusia.p2p.coordinator.discovery;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.libp2p.PeerId;
import org.lotusia.p2p.coordinator.discovery.ValidationVerdict.Rejection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether an advertisement received from the network is accepted (lotus-sdk's {@code
 * DiscoverySecurityValidator}, rebuilt so that the signature decides). Checks, cheapest first:
 *
 * <ol>
 *   <li>{@code peerInfo.peerId} is a valid peer ID, and the advertisement was published by that
 *       peer: the GossipSub author (StrictSign {@code from}) or the creator of the DHT record must
 *       be {@code peerInfo.peerId}, so no one can advertise in another node's name (an SDK
 *       binding; lotus-sdk has none);
 *   <li>the publisher's reputation, as kept here (never the advertisement's own {@code
 *       reputation} field), is at least the policy's minimum;
 *   <li>time: {@code expiresAt >= createdAt}, {@code createdAt} not beyond the clock skew in the
 *       future, not expired (a withdrawal notice, {@code expiresAt == createdAt}, is exempt), and
 *       not older than the maximum age;
 *   <li>replay: a version older than the newest accepted one of the same advertisement (same peer
 *       and ID), or one with the same {@code createdAt} and other signed content, is refused; a
 *       repeat of the accepted version is accepted again without changing anything;
 *   <li>rate: at most {@code maxAdvertisementsPerPeer} new versions per peer per window;
 *   <li>the signature, with the key {@link AdvertisementSigner#candidateKeys} names;
 *   <li>the policy's custom validators.
 * </ol>
 *
 * A refusal the authenticated publisher is to blame for ({@link Rejection#penalized()}) lowers its
 * reputation by 5; a new accepted version raises it by 2. Applications may add their own experience through
 * {@link #updateReputation}.
 *
 * <p>Thread-safe: the state (reputations, rate windows, accepted versions, all bounded by the
 * policy) is guarded by this object; signatures are verified outside the lock. Time comes from the
 * injected clock.
 */
public final class DiscoverySecurityValidator {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoverySecurityValidator.class);

  private final DiscoverySecurityPolicy policy;
  private final Clock clock;
  private final ReputationTable reputations;
  private final ReplayGuard replays;
  private final LongAdder accepted = new LongAdder();
  private final Map<Rejection, LongAdder> rejected = new EnumMap<>(Rejection.class);

  /**
   * Creates a validator.
   *
   * @param policy the rules
   * @param clock the time source
   */
  public DiscoverySecurityValidator(DiscoverySecurityPolicy policy, Clock clock) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.reputations = new ReputationTable(policy.initialReputation(), policy.maxTrackedPeers());
    this.replays = new ReplayGuard(policy.maxTrackedAdvertisements());
    for (Rejection r : Rejection.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  /**
   * The rules.
   *
   * @return the policy
   */
  public DiscoverySecurityPolicy policy() {
    return policy;
  }

  /**
   * Validates an advertisement and, when it is accepted as a new version, remembers it.
   *
   * @param ad the advertisement
   * @param source where it came from
   * @param publisher the authenticated peer that published it: the GossipSub author or the DHT
   *     record creator (required for those sources); for {@link AdvertisementSource#DIRECT} the
   *     peer it came from over an authenticated channel, or {@code null} to skip the binding
   * @return the verdict
   */
  public ValidationVerdict validate(
      DiscoveryAdvertisement ad, AdvertisementSource source, String publisher) {
    Objects.requireNonNull(ad, "ad");
    Objects.requireNonNull(source, "source");
    ValidationVerdict v = check(ad, source, publisher);
    if (v.accepted()) {
      accepted.increment();
    } else {
      rejected.get(v.rejection().get()).increment();
      LOG.debug("advertisement {} from {} refused: {}", ad.key(), publisher, v.detail());
      // Only an authenticated publisher is blamed: nobody can lower another peer's reputation by
      // handing this node advertisements in that peer's name.
      if (publisher != null && v.rejection().get().penalized()) {
        synchronized (this) {
          reputations.update(publisher, false, 1, clock.millis());
        }
      }
    }
    return v;
  }

  private ValidationVerdict check(
      DiscoveryAdvertisement ad, AdvertisementSource source, String publisher) {
    String claimed;
    try {
      claimed = PeerId.parse(ad.peerInfo().peerId()).toBase58();
    } catch (IllegalArgumentException e) {
      return ValidationVerdict.reject(
          Rejection.MALFORMED, "peerInfo.peerId is not a valid peer ID: " + e.getMessage());
    }
    if (publisher == null && source != AdvertisementSource.DIRECT) {
      return ValidationVerdict.reject(
          Rejection.WRONG_AUTHOR, "no authenticated publisher for an advertisement from " + source);
    }
    if (publisher != null && !samePeer(publisher, claimed)) {
      return ValidationVerdict.reject(
          Rejection.WRONG_AUTHOR,
          "advertisement of " + claimed + " published by " + publisher);
    }
    long now = clock.millis();
    long skew = policy.maxClockSkew().toMillis();
    if (ad.expiresAt() < ad.createdAt()) {
      return ValidationVerdict.reject(Rejection.MALFORMED, "expiresAt is before createdAt");
    }
    if (ad.createdAt() > now + skew) {
      return ValidationVerdict.reject(
          Rejection.FROM_THE_FUTURE,
          "createdAt is " + (ad.createdAt() - now) + " ms in the future, the allowed skew is " + skew);
    }
    if (!ad.isWithdrawal() && ad.isExpired(now)) {
      return ValidationVerdict.reject(
          Rejection.EXPIRED, "expired " + (now - ad.expiresAt()) + " ms ago");
    }
    long maxAge = policy.maxAdvertisementAge().toMillis();
    if (now - ad.createdAt() > maxAge) {
      return ValidationVerdict.reject(
          Rejection.TOO_OLD,
          "created " + (now - ad.createdAt()) + " ms ago, the maximum age is " + maxAge);
    }
    byte[] digest = AdvertisementSigner.digest(ad.signedMessage());
    byte[] fingerprint = Hashes.sha256(digest, ad.signatureView());
    AdvertisementKey key = new AdvertisementKey(claimed, ad.id());
    synchronized (this) {
      if (reputations.score(claimed) < policy.minReputation()) {
        return ValidationVerdict.reject(
            Rejection.LOW_REPUTATION,
            "reputation "
                + reputations.score(claimed)
                + " is below the minimum "
                + policy.minReputation());
      }
      ReplayGuard.Seen seen = replays.get(key);
      if (seen != null) {
        if (ad.createdAt() < seen.createdAt()) {
          return ValidationVerdict.reject(
              Rejection.REPLAYED,
              "version of " + ad.createdAt() + " is older than the accepted " + seen.createdAt());
        }
        if (ad.createdAt() == seen.createdAt()) {
          return seen.sameAs(fingerprint)
              ? ValidationVerdict.accept(seen.signerKey(), false)
              : ValidationVerdict.reject(
                  Rejection.REPLAYED,
                  "other signed content with the createdAt of the accepted version");
        }
      }
      if (!reputations.tryCount(
          claimed, policy.maxAdvertisementsPerPeer(), policy.rateLimitWindow().toMillis(), now)) {
        return ValidationVerdict.reject(
            Rejection.RATE_LIMITED,
            "more than "
                + policy.maxAdvertisementsPerPeer()
                + " advertisements in "
                + policy.rateLimitWindow());
      }
    }
    if (AdvertisementSigner.candidateKeys(ad).isEmpty()) {
      return ValidationVerdict.reject(
          Rejection.NO_KEY,
          AdvertisementSigner.isMuSig2(ad.protocol())
              ? "no publicKey, creatorPublicKey or peerInfo.publicKey to verify with"
              : "no peerInfo.publicKey to verify with");
    }
    Optional<EcPoint> signer = AdvertisementSigner.verify(ad, digest);
    if (signer.isEmpty()) {
      return ValidationVerdict.reject(Rejection.BAD_SIGNATURE, "signature does not verify");
    }
    for (DiscoverySecurityPolicy.CustomValidator c : policy.customValidators()) {
      boolean ok;
      try {
        ok = c.test().test(ad);
      } catch (RuntimeException e) {
        LOG.warn("custom validator {} threw; the advertisement is refused", c.name(), e);
        ok = false;
      }
      if (!ok) {
        return ValidationVerdict.reject(Rejection.CUSTOM_VALIDATOR, "refused by " + c.name());
      }
    }
    synchronized (this) {
      ReplayGuard.Seen seen = replays.get(key);
      if (seen != null && seen.createdAt() == ad.createdAt() && seen.sameAs(fingerprint)) {
        return ValidationVerdict.accept(seen.signerKey(), false); // accepted meanwhile elsewhere
      }
      if (seen != null && seen.createdAt() >= ad.createdAt()) {
        return ValidationVerdict.reject(Rejection.REPLAYED, "a newer version was accepted meanwhile");
      }
      replays.accept(key, ad.createdAt(), fingerprint, signer.get());
      reputations.update(claimed, true, 1, now);
    }
    return ValidationVerdict.accept(signer.get(), true);
  }

  private static boolean samePeer(String publisher, String canonicalClaimed) {
    if (publisher.equals(canonicalClaimed)) {
      return true;
    }
    try {
      return PeerId.parse(publisher).toBase58().equals(canonicalClaimed);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Lowers the reputation of a peer that published something that is not an advertisement (bad
   * JSON, a field out of its limits) on a discovery topic.
   *
   * @param publisher the authenticated publisher
   * @param detail what was wrong, for the log
   */
  public void recordMalformed(String publisher, String detail) {
    rejected.get(Rejection.MALFORMED).increment();
    LOG.debug("malformed advertisement from {}: {}", publisher, detail);
    synchronized (this) {
      reputations.update(publisher, false, 1, clock.millis());
    }
  }

  /**
   * The reputation kept for a peer.
   *
   * @param peerId the peer
   * @return its score from 0 to 100; the initial reputation for a peer not seen
   */
  public synchronized double reputation(String peerId) {
    return reputations.score(peerId);
  }

  /**
   * What is kept for a peer.
   *
   * @param peerId the peer
   * @return its reputation record
   */
  public synchronized PeerReputation reputationOf(String peerId) {
    return reputations.snapshot(peerId);
  }

  /**
   * Records the application's experience with a peer (lotus-sdk's {@code updateReputation}): a
   * success adds {@code 2 x weight}, a failure takes {@code 5 x weight}, within 0 to 100.
   *
   * @param peerId the peer
   * @param success whether the interaction went well
   * @param weight how much it counts, positive
   * @throws IllegalArgumentException when the weight is not positive
   */
  public void updateReputation(String peerId, boolean success, double weight) {
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("weight must be a positive number, got " + weight);
    }
    synchronized (this) {
      reputations.update(Objects.requireNonNull(peerId, "peerId"), success, weight, clock.millis());
    }
  }

  /**
   * Forgets what can no longer matter: accepted versions older than the maximum age plus the clock
   * skew (they are refused as too old anyway) and peers idle for a week.
   *
   * @return entries forgotten
   */
  public synchronized int cleanup() {
    long now = clock.millis();
    long horizon = policy.maxAdvertisementAge().plus(policy.maxClockSkew()).toMillis();
    return replays.forgetBefore(now - horizon) + reputations.forgetIdle(7L * 24 * 3600 * 1000, now);
  }

  /**
   * Counters and sizes.
   *
   * @return the statistics
   */
  public synchronized ValidatorStats stats() {
    Map<Rejection, Long> r = new EnumMap<>(Rejection.class);
    rejected.forEach((k, v) -> r.put(k, v.sum()));
    return new ValidatorStats(
        accepted.sum(), Map.copyOf(r), reputations.size(), reputations.averageScore(), replays.size());
  }

  /**
   * What a validator has done.
   *
   * @param accepted advertisements accepted (repeats included)
   * @param rejected refusals by reason
   * @param trackedPeers peers with a reputation record
   * @param averageReputation their average score
   * @param trackedAdvertisements advertisement versions remembered for replay prevention
   */
  public record ValidatorStats(
      long accepted,
      Map<Rejection, Long> rejected,
      int trackedPeers,
      double averageReputation,
      int trackedAdvertisements) {

    /**
     * Refusals for one reason.
     *
     * @param reason the reason
     * @return the count
     */
    public long rejected(Rejection reason) {
      return rejected.getOrDefault(reason, 0L);
    }

    /**
     * All refusals.
     *
     * @return the total
     */
    public long totalRejected() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
