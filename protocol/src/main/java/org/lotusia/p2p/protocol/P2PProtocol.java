package org.lotusia.p2p.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Random;

/**
 * lotus-sdk's {@code P2PProtocol}: creating, serializing, parsing, validating and hashing {@link
 * P2PMessage}s.
 *
 * <p>Differences from lotus-sdk, all on the side of safety: {@link #deserialize(byte[])} enforces
 * the size cap and checks the JSON types of the known fields (lotus-sdk accepts any JSON and lets
 * validation fail later); {@link #serialize(P2PMessage)} refuses messages no lotus-sdk receiver
 * would accept because of their size; the clock-skew window and size cap are configurable.
 *
 * <p>Immutable and thread-safe. Build with {@link #builder()}; {@link #defaults()} gives
 * lotus-sdk's values.
 */
public final class P2PProtocol {

  /** Default receive cap, lotus-sdk's {@code MAX_P2P_MESSAGE_SIZE}: 100,000 bytes. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 100_000;

  /** Default clock-skew window: 5 minutes either way. */
  public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

  /** Default of {@link #validateMessageSize(P2PMessage)}: 1 MiB, as in lotus-sdk. */
  public static final int DEFAULT_VALIDATE_SIZE = 1_048_576;

  private final Clock clock;
  private final long maxClockSkewMillis;
  private final int maxMessageSize;
  private final Random random;

  private P2PProtocol(Builder b) {
    this.clock = b.clock;
    this.maxClockSkewMillis = b.maxClockSkew.toMillis();
    this.maxMessageSize = b.maxMessageSize;
    this.random = b.random;
  }

  /**
   * A protocol with lotus-sdk's defaults and the system clock.
   *
   * @return a new instance
   */
  public static P2PProtocol defaults() {
    return builder().build();
  }

  /**
   * A builder with lotus-sdk's defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The configured size cap.
   *
   * @return the largest serialized message in bytes that {@link #serialize} and {@link
   *     #deserialize} accept
   */
  public int maxMessageSize() {
    return maxMessageSize;
  }

  /**
   * The clock used for timestamps, ids and validation.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Creates a message with a fresh timestamp and lotus-sdk-style id; no target, protocol or
   * signature.
   *
   * @param type message type, non-empty
   * @param payload payload, or {@code null} to omit it
   * @param from sender peer id, non-empty
   * @return the message
   * @throws IllegalArgumentException if {@code type} or {@code from} is null or empty
   */
  public P2PMessage createMessage(String type, JsonNode payload, String from) {
    return createMessage(type, payload, from, null, null, null);
  }

  /**
   * Creates a message like lotus-sdk's {@code createMessage(type, payload, from, {to, protocol,
   * signature})}.
   *
   * @param type message type, non-empty
   * @param payload payload, or {@code null} to omit it; the message takes ownership of the tree
   * @param from sender peer id, non-empty
   * @param to target peer id or {@code null}
   * @param protocol routing key (handler {@code protocolName}) or {@code null}
   * @param signature signature bytes or {@code null}
   * @return the message, timestamped now with a new {@link #generateMessageId() id}
   * @throws IllegalArgumentException if {@code type} or {@code from} is null or empty
   */
  public P2PMessage createMessage(
      String type, JsonNode payload, String from, String to, String protocol, byte[] signature) {
    requireNonEmpty(type, "type");
    requireNonEmpty(from, "from");
    return new P2PMessage(
        type, from, to, payload, clock.millis(), generateMessageId(), signature, protocol);
  }

  /**
   * A new message id in lotus-sdk's format: the current time in ms in base 36, '-', 8 random bytes
   * in hex, for example {@code mwpwybfc-49398e6b472c5c2c}.
   *
   * @return the id
   */
  public String generateMessageId() {
    byte[] rnd = new byte[8];
    synchronized (random) {
      random.nextBytes(rnd);
    }
    return Long.toString(clock.millis(), 36) + '-' + HexFormat.of().formatHex(rnd);
  }

  /**
   * Serializes a message to the bytes lotus-sdk writes ({@code Buffer.from(JSON.stringify(m))}).
   *
   * @param message the message
   * @return the UTF-8 JSON bytes
   * @throws IllegalArgumentException if the bytes exceed {@link #maxMessageSize()}, since no
   *     receiver with the same cap would accept them
   */
  public byte[] serialize(P2PMessage message) {
    Objects.requireNonNull(message, "message");
    byte[] bytes = MessageJson.toBytes(message);
    if (bytes.length > maxMessageSize) {
      throw new IllegalArgumentException(
          "serialized message is "
              + bytes.length
              + " bytes, more than the cap of "
              + maxMessageSize
              + " bytes");
    }
    return bytes;
  }

  /**
   * Parses message bytes received from a peer.
   *
   * @param data the bytes
   * @return the message (not yet validated: call {@link #validate(P2PMessage)})
   * @throws MessageFormatException if the bytes are larger than the cap, empty, not one JSON
   *     object, or a known field has the wrong type; the message says which
   */
  public P2PMessage deserialize(byte[] data) {
    return deserialize(data, 0, data.length);
  }

  /**
   * Parses message bytes received from a peer, from a region of a buffer.
   *
   * @param data buffer
   * @param offset start of the message
   * @param length number of bytes
   * @return the message (not yet validated)
   * @throws MessageFormatException as {@link #deserialize(byte[])}
   */
  public P2PMessage deserialize(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    if (length > maxMessageSize) {
      throw new MessageFormatException(
          DecodeFailure.OVERSIZED,
          "message is " + length + " bytes, more than the cap of " + maxMessageSize + " bytes");
    }
    return MessageJson.parse(data, offset, length);
  }

  /**
   * Checks lotus-sdk's validation rules: non-empty {@code type}, {@code from} and {@code
   * messageId}, a non-zero {@code timestamp} within the clock-skew window of this protocol's clock.
   *
   * @param message the message
   * @return valid, or invalid with the first problem found
   */
  public ValidationResult validate(P2PMessage message) {
    if (message.type() == null || message.type().isEmpty()) {
      return ValidationResult.invalid("field 'type' is missing or empty");
    }
    if (message.from() == null || message.from().isEmpty()) {
      return ValidationResult.invalid("field 'from' is missing or empty");
    }
    if (message.timestamp() == 0) {
      return ValidationResult.invalid("field 'timestamp' is missing or zero");
    }
    if (message.messageId() == null || message.messageId().isEmpty()) {
      return ValidationResult.invalid("field 'messageId' is missing or empty");
    }
    long skew = clock.millis() - message.timestamp();
    if (Math.abs(skew) > maxClockSkewMillis) {
      return ValidationResult.invalid(
          "timestamp "
              + message.timestamp()
              + " is "
              + Math.abs(skew)
              + " ms "
              + (skew > 0 ? "in the past" : "in the future")
              + ", more than the allowed "
              + maxClockSkewMillis
              + " ms");
    }
    return ValidationResult.ok();
  }

  /**
   * lotus-sdk's boolean {@code validateMessage}.
   *
   * @param message the message
   * @return whether {@link #validate(P2PMessage)} passes
   */
  public boolean validateMessage(P2PMessage message) {
    return validate(message).valid();
  }

  /**
   * Whether the serialized message fits in {@value #DEFAULT_VALIDATE_SIZE} bytes (lotus-sdk's
   * default).
   *
   * @param message the message
   * @return true if it fits
   */
  public boolean validateMessageSize(P2PMessage message) {
    return validateMessageSize(message, DEFAULT_VALIDATE_SIZE);
  }

  /**
   * Whether the serialized message fits in {@code maxSize} bytes.
   *
   * @param message the message
   * @param maxSize the limit in bytes
   * @return true if the UTF-8 JSON is at most {@code maxSize} bytes
   */
  public boolean validateMessageSize(P2PMessage message, int maxSize) {
    return MessageJson.toBytes(message).length <= maxSize;
  }

  /**
   * lotus-sdk's de-duplication hash ({@link MessageHasher}).
   *
   * @param message the message
   * @return 64 lower-case hex characters
   */
  public String computeMessageHash(P2PMessage message) {
    return MessageHasher.hashHex(message);
  }

  /**
   * A {@code peer-handshake} message: payload {@code {peerId, timestamp, metadata}}.
   *
   * @param peerId own peer id (also {@code from})
   * @param metadata metadata or {@code null} to omit it
   * @return the message
   */
  public P2PMessage createHandshake(String peerId, JsonNode metadata) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("peerId", peerId);
    p.put("timestamp", clock.millis());
    if (metadata != null) {
      p.set("metadata", metadata);
    }
    return createMessage(MessageTypes.PEER_HANDSHAKE, p, peerId);
  }

  /**
   * A {@code peer-heartbeat} message: payload {@code {timestamp}}.
   *
   * @param peerId own peer id
   * @return the message
   */
  public P2PMessage createHeartbeat(String peerId) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("timestamp", clock.millis());
    return createMessage(MessageTypes.PEER_HEARTBEAT, p, peerId);
  }

  /**
   * A {@code peer-disconnect} message: payload {@code {reason, timestamp}}.
   *
   * @param peerId own peer id
   * @param reason reason or {@code null} to omit it
   * @return the message
   */
  public P2PMessage createDisconnect(String peerId, String reason) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    if (reason != null) {
      p.put("reason", reason);
    }
    p.put("timestamp", clock.millis());
    return createMessage(MessageTypes.PEER_DISCONNECT, p, peerId);
  }

  /**
   * An {@code error} message: payload {@code {error, context, timestamp}}.
   *
   * @param peerId own peer id
   * @param error error text
   * @param context context or {@code null} to omit it
   * @return the message
   */
  public P2PMessage createError(String peerId, String error, JsonNode context) {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    p.put("error", error);
    if (context != null) {
      p.set("context", context);
    }
    p.put("timestamp", clock.millis());
    return createMessage(MessageTypes.ERROR, p, peerId);
  }

  private static void requireNonEmpty(String v, String name) {
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException(name + " must be a non-empty string");
    }
  }

  /**
   * Builder of {@link P2PProtocol}; every setting has lotus-sdk's value by default. Not
   * thread-safe.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
    private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
    private Random random = new SecureRandom();

    private Builder() {}

    /**
     * Clock for timestamps, ids and validation. Default: system UTC clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Largest accepted |receiver clock - timestamp|. Default: 5 minutes.
     *
     * @param skew a non-negative duration
     * @return this builder
     */
    public Builder maxClockSkew(Duration skew) {
      if (skew == null || skew.isNegative()) {
        throw new IllegalArgumentException(
            "maxClockSkew must be a non-negative duration, got " + skew);
      }
      this.maxClockSkew = skew;
      return this;
    }

    /**
     * Size cap of serialize and deserialize in bytes. Default: 100,000.
     *
     * @param bytes a positive size
     * @return this builder
     */
    public Builder maxMessageSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxMessageSize must be positive, got " + bytes);
      }
      this.maxMessageSize = bytes;
      return this;
    }

    /**
     * Randomness for message ids. Default: a {@link SecureRandom}.
     *
     * @param random the source; used under its own lock
     * @return this builder
     */
    public Builder random(Random random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Builds the protocol.
     *
     * @return a new immutable instance
     */
    public P2PProtocol build() {
      return new P2PProtocol(this);
    }
  }
}
