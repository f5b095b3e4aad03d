package org.lotusia.p2p.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.lotusia.p2p.protocol.AuthResult;
import org.lotusia.p2p.protocol.DecodeFailure;
import org.lotusia.p2p.protocol.DecodeResult;
import org.lotusia.p2p.protocol.MessageAuthenticator;
import org.lotusia.p2p.protocol.MessageStreamDecoder;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.P2PProtocol;
import org.lotusia.p2p.protocol.SeenMessageCache;
import org.lotusia.p2p.protocol.ValidationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inbound-message checks of the {@link CoreSecurityManager}: bans, the per-peer message rate,
 * decode failures, lotus-sdk validation, the authenticated mode, de-duplication and the protocol
 * validators, with the warnings and bans a violation earns. Thread-safe: per-peer state (bans and
 * the message token bucket) is read and changed under the peer's monitor, the de-duplication cache
 * is thread-safe, validators run outside any lock and events are published after locks are
 * released.
 */
final class MessageGuard {

  // Keeps the manager's log category, so logging configuration is unaffected by the split.
  private static final Logger LOG = LoggerFactory.getLogger(CoreSecurityManager.class);

  private final SecurityLimits limits;
  private final Clock clock;
  private final P2PProtocol protocol;
  private final MessageAuthenticator authenticator;
  private final SeenMessageCache seen;
  private final SecurityCounters counters;
  private final PeerTable peers;
  private final BanEscalation bans;
  private final ValidatorRegistry validators;
  private final EventPublisher publisher;
  private final TokenBucket.Rate rate;

  MessageGuard(
      SecurityLimits limits,
      Clock clock,
      P2PProtocol protocol,
      MessageAuthenticator authenticator,
      SecurityCounters counters,
      PeerTable peers,
      BanEscalation bans,
      ValidatorRegistry validators,
      EventPublisher publisher) {
    this.limits = limits;
    this.clock = clock;
    this.protocol = protocol;
    this.authenticator = authenticator;
    this.seen = new SeenMessageCache(limits.seenCacheSize(), limits.seenCacheTtl(), clock);
    this.counters = counters;
    this.peers = peers;
    this.bans = bans;
    this.validators = validators;
    this.publisher = publisher;
    this.rate = TokenBucket.Rate.perSecond(limits.messageRatePerSecond(), limits.messageBurst());
  }

  /** See {@link CoreSecurityManager#newStreamDecoder()}. */
  MessageStreamDecoder newStreamDecoder() {
    return new MessageStreamDecoder(protocol, limits.maxMessageSize());
  }

  /** See {@link CoreSecurityManager#checkMessage(String, DecodeResult)}. */
  SecurityDecision check(String remotePeerId, DecodeResult decoded) {
    long now = clock.millis();
    if (decoded instanceof DecodeResult.Failed f && f.failure() == DecodeFailure.EMPTY) {
      counters.count(RejectReason.MESSAGE_EMPTY);
      return SecurityDecision.reject(RejectReason.MESSAGE_EMPTY, f.detail());
    }
    counters.messagesTotal.increment();
    SecurityDecision admission = admit(remotePeerId, now);
    return admission != null ? admission : checkContent(remotePeerId, decoded, now);
  }

  /** See {@link CoreSecurityManager#checkMessage(String, byte[])}. */
  MessageCheck check(String remotePeerId, byte[] data) {
    long now = clock.millis();
    MessageStreamDecoder decoder = newStreamDecoder();
    if (data.length == 0) {
      return new MessageCheck(check(remotePeerId, decoder.onEndOfStream()), null);
    }
    counters.messagesTotal.increment();
    // Bans and the rate come first, so a banned or flooding peer costs no parsing work.
    SecurityDecision admission = admit(remotePeerId, now);
    if (admission != null) {
      return new MessageCheck(admission, null);
    }
    DecodeResult r = decoder.onData(data);
    if (r == null) {
      r = decoder.onEndOfStream();
    }
    SecurityDecision decision = checkContent(remotePeerId, r, now);
    return new MessageCheck(decision, r instanceof DecodeResult.Decoded d ? d.message() : null);
  }

  /**
   * The ban check, then one token of the sender's message bucket (every non-empty message event
   * takes one, whatever its content, since each costs parsing and validation work). Returns the
   * rejection, or {@code null} to go on with the content.
   */
  private SecurityDecision admit(String remotePeerId, long now) {
    boolean limiting = limits.rateLimitingEnabled();
    PeerState st = limiting ? peers.getOrCreate(remotePeerId, now) : peers.peek(remotePeerId);
    if (st == null) {
      return null;
    }
    long wait;
    synchronized (st) {
      SecurityDecision ban = bans.decision(st, now);
      if (ban != null) {
        return rejectMessage(ban);
      }
      if (!limiting) {
        return null;
      }
      st.lastActivity = now;
      TokenBucket bucket = st.messageBucket(rate, now);
      if (bucket.tryTake(now)) {
        return null;
      }
      wait = bucket.millisUntilToken(now);
    }
    return messageViolation(
        remotePeerId,
        RejectReason.MESSAGE_RATE_LIMITED,
        "peer is over its message rate ("
            + rate.describe()
            + "); the next message is accepted in "
            + wait
            + " ms",
        now,
        false);
  }

  /** Decode failures, size, validation, authentication, de-duplication and the validator. */
  private SecurityDecision checkContent(String remotePeerId, DecodeResult decoded, long now) {
    if (decoded instanceof DecodeResult.Failed f) {
      if (f.failure() == DecodeFailure.OVERSIZED) {
        counters.messagesOversized.increment();
        return messageViolation(remotePeerId, RejectReason.MESSAGE_OVERSIZED, f.detail(), now);
      }
      return messageViolation(remotePeerId, RejectReason.MESSAGE_MALFORMED, f.detail(), now);
    }
    DecodeResult.Decoded d = (DecodeResult.Decoded) decoded;
    if (d.bytesReceived() > limits.maxMessageSize()) {
      counters.messagesOversized.increment();
      return messageViolation(
          remotePeerId,
          RejectReason.MESSAGE_OVERSIZED,
          "message is "
              + d.bytesReceived()
              + " bytes, more than the limit of "
              + limits.maxMessageSize(),
          now);
    }
    P2PMessage m = d.message();
    ValidationResult v = protocol.validate(m);
    if (!v.valid()) {
      return messageViolation(remotePeerId, RejectReason.MESSAGE_INVALID, v.problem(), now);
    }
    // Authenticate before de-duplication, so a forged copy cannot pre-empt the genuine message.
    AuthResult auth = authenticator.check(m, remotePeerId);
    if (!auth.accepted()) {
      RejectReason reason =
          switch (auth.failure()) {
            case SENDER_MISMATCH -> RejectReason.SENDER_MISMATCH;
            case SIGNATURE_MISSING -> RejectReason.SIGNATURE_MISSING;
            case SIGNATURE_INVALID -> RejectReason.SIGNATURE_INVALID;
          };
      return messageViolation(remotePeerId, reason, auth.detail(), now);
    }
    if (!seen.markSeen(protocol.computeMessageHash(m))) {
      counters.count(RejectReason.DUPLICATE);
      return SecurityDecision.reject(
          RejectReason.DUPLICATE, "message " + m.messageId() + " was seen before");
    }
    ProtocolValidator validator = validators.lookup(m.protocol());
    if (validator != null
        && !ValidatorRegistry.call(() -> validator.validateMessage(m, remotePeerId))) {
      return messageViolation(
          remotePeerId,
          RejectReason.VALIDATOR_REJECTED_MESSAGE,
          "validator of protocol '" + m.protocol() + "' rejected message " + m.messageId(),
          now);
    }
    return SecurityDecision.accept();
  }

  private SecurityDecision rejectMessage(SecurityDecision d) {
    counters.messagesRejected.increment();
    counters.count(d.reason());
    return d;
  }

  private SecurityDecision messageViolation(
      String peerId, RejectReason reason, String detail, long now) {
    return messageViolation(peerId, reason, detail, now, true);
  }

  /**
   * Counts, warns and (for invalid content, {@code invalid}) counts towards {@code
   * maxInvalidMessagesPerPeer}; a rate refusal is a warning but not an invalid message.
   */
  private SecurityDecision messageViolation(
      String peerId, RejectReason reason, String detail, long now, boolean invalid) {
    counters.messagesRejected.increment();
    counters.count(reason);
    LOG.debug("message from {} rejected: {} ({})", peerId, reason.code(), detail);
    List<SecurityEvent> events = new ArrayList<>(3);
    PeerState st = peers.getOrCreate(peerId, now);
    synchronized (st) {
      st.lastActivity = now;
      if (invalid) {
        st.invalidEvents++;
      }
      bans.warnLocked(st, reason.code(), now, events);
      if (invalid && st.invalidEvents >= limits.maxInvalidMessagesPerPeer()) {
        BanEscalation.banLocked(st, "excessive-invalid-messages", events);
      }
    }
    publisher.publish(events);
    return SecurityDecision.reject(reason, detail);
  }
}
