package org.lotusia.p2p.security;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.MessageAuthenticator;
import org.lotusia.p2p.protocol.MessageStreamDecoder;
import org.lotusia.p2p.protocol.P2PProtocol;

/**
 * The security manager, enforced: one call per kind of inbound event ({@link
 * #checkConnection(String)}, {@link #checkMessage(String, DecodeResult)}, {@link
 * #checkTopicMessage(String, String, String, int)}, {@link #checkResourceAnnouncement(String,
 * String, String, JsonNode)}) that returns accept or reject with a reason and updates metrics,
 * warnings and bans in one place.
 *
 * <p>Every receive path is rate limited per peer by a token bucket (see {@link SecurityLimits}):
 * direct messages per sender, topic messages per author, announcements per announcing peer. A
 * refused event takes no token, so a peer that slows down to the rate is accepted again.
 *
 * <p>Limits ({@link SecurityLimits}) default to lotus-sdk's. Escalation (lotus-sdk section "ban
 * manager"): every violation warns the peer; at {@code warningsBeforeTempBan} warnings the peer is
 * banned for {@code tempBanDuration} (again on every further warning), at {@code warningsBeforeBan}
 * it is banned permanently; {@code maxInvalidMessagesPerPeer} invalid messages also ban
 * permanently. A banned peer's events are refused without further warnings. An expired temporary
 * ban is forgotten but the warnings stay; {@link #unbanPeer(String)} clears everything.
 *
 * <p>Thread-safe: per-peer state is guarded per peer, counters are lock-free, and events are
 * published after locks are released, on the configured executor. Time comes from the injected
 * clock. Every peer that sends (messages, topic messages as author, announcements) has state
 * while its token buckets refill; memory is bounded by {@link SecurityLimits#maxTrackedPeers()}
 * (blank states, then the least recently active unpinned ones, are dropped first), the resource
 * quotas and the de-duplication cache bounds. The owner calls {@link #cleanup()} every {@link
 * SecurityLimits#dhtCleanupInterval()} to drop states that hold nothing and idle peers.
 */
public final class CoreSecurityManager {

  private final SecurityLimits limits;
  private final Clock clock;
  private final P2PProtocol protocol;
  private final EventPublisher publisher;
  private final BanEscalation bans;
  private final MessageGuard messages;
  private final AnnouncementGuard announcements;
  private final TopicGuard topics;
  private final PeerControl control;
  private final PeerTable peers;
  private final ValidatorRegistry validators = new ValidatorRegistry();
  private final SecurityCounters counters = new SecurityCounters();

  private CoreSecurityManager(Builder b) {
    this.limits = b.limits;
    this.clock = b.clock;
    this.protocol =
        P2PProtocol.builder()
            .clock(b.clock)
            .maxClockSkew(b.limits.maxClockSkew())
            .maxMessageSize(b.limits.maxMessageSize())
            .build();
    this.publisher = new EventPublisher(b.eventExecutor);
    this.bans = new BanEscalation(b.limits, counters);
    this.peers = new PeerTable(b.limits.maxTrackedPeers(), b.limits.peerIdleTimeout().toMillis());
    this.messages =
        new MessageGuard(
            b.limits,
            b.clock,
            protocol,
            b.authenticator,
            counters,
            peers,
            bans,
            validators,
            publisher);
    this.announcements =
        new AnnouncementGuard(b.limits, counters, peers, bans, validators, publisher);
    this.topics = new TopicGuard(b.limits, counters, peers, bans, publisher);
    this.control = new PeerControl(peers, bans, publisher);
  }

  /**
   * A builder with default limits, the system clock, authenticated mode off and synchronous events.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The limits in force.
   *
   * @return the limits
   */
  public SecurityLimits limits() {
    return limits;
  }

  /**
   * The protocol configured from the limits (size cap, clock-skew window, clock).
   *
   * @return the protocol used for parsing and validation
   */
  public P2PProtocol protocol() {
    return protocol;
  }

  /**
   * A decoder for one inbound {@code /lotus/message/1.0.0} stream, capped at {@code
   * maxMessageSize}. Check {@link #isAllowed(String)} when the stream opens to reset a banned
   * peer's stream before reading it.
   *
   * @return a new decoder, to be confined to the stream's reader
   */
  public MessageStreamDecoder newStreamDecoder() {
    return messages.newStreamDecoder();
  }

  // --- inbound events

  /**
   * Checks an inbound connection attempt (for a connection gater) or a new inbound stream.
   *
   * @param peerId the authenticated remote peer
   * @return reject with {@link RejectReason#PEER_BANNED} or {@link RejectReason#PEER_TEMP_BANNED},
   *     else accept
   */
  public SecurityDecision checkConnection(String peerId) {
    Objects.requireNonNull(peerId, "peerId");
    counters.connectionsTotal.increment();
    SecurityDecision ban = bans.decision(peers.peek(peerId), clock.millis());
    if (ban != null) {
      counters.connectionsRejected.increment();
      counters.count(ban.reason());
      return ban;
    }
    return SecurityDecision.accept();
  }

  /**
   * Checks the outcome of one inbound message stream, in this order: bans (refused without a new
   * warning), the sender's message rate ({@link RejectReason#MESSAGE_RATE_LIMITED}: every
   * non-empty message event takes a token, whatever its content), decode failures (oversized,
   * malformed), lotus-sdk validation, the authenticated mode, de-duplication and the protocol
   * validator of {@code message.protocol}. Violations warn the peer and may ban it.
   *
   * @param remotePeerId the authenticated remote peer of the stream
   * @param decoded what the stream decoder produced
   * @return accept (deliver the message) or reject with the reason
   */
  public SecurityDecision checkMessage(String remotePeerId, DecodeResult decoded) {
    Objects.requireNonNull(remotePeerId, "remotePeerId");
    Objects.requireNonNull(decoded, "decoded");
    return messages.check(remotePeerId, decoded);
  }

  /**
   * Parses and checks the complete bytes of one inbound message (for transports that deliver whole
   * messages), with the checks and order of {@link #checkMessage(String, DecodeResult)}. A banned
   * or rate-limited peer's bytes are refused without being parsed.
   *
   * @param remotePeerId the authenticated remote peer
   * @param data the message bytes
   * @return the decision and the parsed message, if any
   */
  public MessageCheck checkMessage(String remotePeerId, byte[] data) {
    Objects.requireNonNull(remotePeerId, "remotePeerId");
    return messages.check(remotePeerId, data);
  }

  /**
   * Checks one GossipSub topic message (after the router has checked the message's signature and
   * before it delivers or forwards it). Order: a ban of {@code receivedFrom} (refused, no new
   * warning), a ban of {@code author} (refused, no new warning), a size over {@code
   * maxTopicMessageSize} ({@link RejectReason#TOPIC_MESSAGE_OVERSIZED}), then the author's topic
   * rate ({@link RejectReason#TOPIC_RATE_LIMITED}; an accepted message takes one token of the
   * author's bucket). Both violations warn the author when the message names one, else {@code
   * receivedFrom}: a relaying peer is not warned for an author's message it forwarded. An unsigned
   * message (no author) is charged to, and takes a token of, {@code receivedFrom}.
   *
   * @param receivedFrom the peer the message arrived from (the relay)
   * @param author the peer that signed the message, or {@code null} for an unsigned message
   * @param topic the topic, used in the refusal's detail
   * @param size the message payload size in bytes, not negative
   * @return accept (deliver and forward the message) or reject with the reason
   * @throws IllegalArgumentException if {@code size} is negative
   */
  public SecurityDecision checkTopicMessage(
      String receivedFrom, String author, String topic, int size) {
    Objects.requireNonNull(receivedFrom, "receivedFrom");
    Objects.requireNonNull(topic, "topic");
    if (size < 0) {
      throw new IllegalArgumentException("topic message size must not be negative, got " + size);
    }
    return topics.check(receivedFrom, author, topic, size, clock.millis());
  }

  /**
   * Checks an inbound resource announcement (lotus-sdk's {@code canAnnounceToDHT}, with two
   * changes: nothing is consumed unless the announcement is accepted, and the minimum interval is
   * per resource rather than per peer). Order: ban; the minimum interval since this resource's last
   * accepted announcement ({@code minDhtAnnouncementInterval}, {@link
   * RejectReason#ANNOUNCEMENT_RATE_LIMITED}); the peer's announcement rate across all its resources
   * ({@code announcementRatePerMinute} with {@code announcementBurst}, also {@code
   * ANNOUNCEMENT_RATE_LIMITED}); quotas (total, then per type; re-announcing a tracked resource is
   * within quota); the validator's {@code canAnnounceResource}, then {@code
   * validateResourceAnnouncement}. Validators are looked up by resource type (exact name, else the
   * first registered prefix). An accepted announcement takes one rate token, takes (or keeps) the
   * resource's quota slot and records its time; {@link #releaseResource} frees the slot and
   * forgets the time.
   *
   * @param peerId the announcing peer
   * @param resourceType resource type
   * @param resourceId resource id
   * @param data announced data, may be {@code null}
   * @return accept (store the announcement; its quota slot is now taken) or reject with the reason
   */
  public SecurityDecision checkResourceAnnouncement(
      String peerId, String resourceType, String resourceId, JsonNode data) {
    Objects.requireNonNull(peerId, "peerId");
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(resourceId, "resourceId");
    return announcements.check(peerId, resourceType, resourceId, data, clock.millis());
  }

  /**
   * Frees a resource's quota slot and forgets the time of its last announcement (the announcement
   * expired or was withdrawn), so the peer may announce it again at once.
   *
   * @param peerId the announcing peer
   * @param resourceType resource type
   * @param resourceId resource id
   * @return true if the resource was tracked
   */
  public boolean releaseResource(String peerId, String resourceType, String resourceId) {
    return announcements.release(peerId, resourceType, resourceId);
  }

  // --- ban management

  /**
   * Whether a peer is neither banned nor under a running temporary ban.
   *
   * @param peerId the peer
   * @return true if allowed
   */
  public boolean isAllowed(String peerId) {
    return bans.decision(peers.peek(peerId), clock.millis()) == null;
  }

  /**
   * Warns a peer (escalating to bans as configured).
   *
   * @param peerId the peer
   * @param reason reason code for the event
   */
  public void warnPeer(String peerId, String reason) {
    control.warn(peerId, reason, clock.millis());
  }

  /**
   * Bans a peer permanently (until {@link #unbanPeer(String)}).
   *
   * @param peerId the peer
   * @param reason reason code for the event
   */
  public void banPeer(String peerId, String reason) {
    control.ban(peerId, reason, clock.millis());
  }

  /**
   * Bans a peer for a while.
   *
   * @param peerId the peer
   * @param duration positive ban length
   * @param reason reason code for the event
   */
  public void tempBanPeer(String peerId, Duration duration, String reason) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("ban duration must be positive, got " + duration);
    }
    control.tempBan(peerId, duration, reason, clock.millis());
  }

  /**
   * Clears a peer's bans, warnings and invalid-message count.
   *
   * @param peerId the peer
   * @return true if the peer had any of them
   */
  public boolean unbanPeer(String peerId) {
    return control.unban(peerId);
  }

  /**
   * The permanently banned peers.
   *
   * @return their ids, sorted
   */
  public Set<String> getBannedPeers() {
    return control.bannedPeers();
  }

  /**
   * A peer's warning count.
   *
   * @param peerId the peer
   * @return warnings since the last unban (0 if unknown)
   */
  public int warningCount(String peerId) {
    return control.read(peerId, st -> st.warnings);
  }

  /**
   * Resources a peer has announced and not released.
   *
   * @param peerId the peer
   * @return the count (0 if unknown)
   */
  public int resourceCount(String peerId) {
    return control.read(peerId, st -> st.resourceCount);
  }

  /**
   * Resources of one type a peer has announced and not released.
   *
   * @param peerId the peer
   * @param resourceType the type
   * @return the count (0 if unknown)
   */
  public int resourceCount(String peerId, String resourceType) {
    return control.read(peerId, st -> st.resourceCount(resourceType));
  }

  // --- validators, listeners, metrics

  /**
   * Registers (or replaces) the validator of a protocol name. The name is matched exactly against a
   * message's {@code protocol} or a resource type, or as a prefix of it (first registered prefix
   * wins).
   *
   * @param protocolName non-empty name, for example {@code musig2}
   * @param validator the validator
   */
  public void registerProtocolValidator(String protocolName, ProtocolValidator validator) {
    validators.register(protocolName, validator);
  }

  /**
   * Removes a validator.
   *
   * @param protocolName the name it was registered under
   * @return true if one was registered
   */
  public boolean unregisterProtocolValidator(String protocolName) {
    return validators.unregister(protocolName);
  }

  /**
   * Adds an event listener.
   *
   * @param listener the listener
   */
  public void addListener(SecurityEventListener listener) {
    publisher.add(listener);
  }

  /**
   * Removes an event listener.
   *
   * @param listener the listener
   * @return true if it was registered
   */
  public boolean removeListener(SecurityEventListener listener) {
    return publisher.remove(listener);
  }

  /**
   * A snapshot of the metrics (peer counts are computed by scanning the tracked peers).
   *
   * @return the metrics
   */
  public CoreSecurityMetrics getMetrics() {
    return counters.snapshot(control.peerCounts(clock.millis()));
  }

  /** Zeroes every counter (ban and warning state is kept). */
  public void resetMetrics() {
    counters.reset();
  }

  /**
   * Drops the state of peers that hold nothing a fresh state would not (no ban, resource, warning
   * or invalid message, and every token bucket full again), and of peers idle for {@code
   * peerIdleTimeout} that are not banned and hold no resources. Call every {@link
   * SecurityLimits#dhtCleanupInterval()}.
   *
   * @return the number of peers dropped
   */
  public int cleanup() {
    return peers.cleanup(clock.millis());
  }

  /**
   * Number of peers with state (for monitoring the memory bound).
   *
   * @return the count
   */
  public int trackedPeers() {
    return peers.size();
  }

  /** Builder of {@link CoreSecurityManager}. Not thread-safe. */
  public static final class Builder {
    private SecurityLimits limits = SecurityLimits.defaults();
    private Clock clock = Clock.systemUTC();
    private MessageAuthenticator authenticator = MessageAuthenticator.disabled();
    private Executor eventExecutor = Runnable::run;

    private Builder() {}

    /**
     * Limits. Default: {@link SecurityLimits#defaults()}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(SecurityLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Time source for bans, rate limits, validation and expiry. Default: system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Authenticated mode. Default: {@link MessageAuthenticator#disabled()} (lotus-sdk behaviour).
     *
     * @param authenticator the authenticator
     * @return this builder
     */
    public Builder authenticator(MessageAuthenticator authenticator) {
      this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
      return this;
    }

    /**
     * Where listeners run. Default: the calling thread, after locks are released. Use the node's
     * callback executor in production.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder eventExecutor(Executor executor) {
      this.eventExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Builds the manager.
     *
     * @return a new manager
     */
    public CoreSecurityManager build() {
      return new CoreSecurityManager(this);
    }
  }
}
