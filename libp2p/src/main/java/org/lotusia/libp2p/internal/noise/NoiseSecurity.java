package org.lotusia.libp2p.internal.noise;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;

/**
 * The noise-libp2p secure channel ({@value #PROTOCOL_ID}) of one host: its identity, its static
 * X25519 Noise key and the signed handshake payload, plus the limits every connection uses.
 *
 * <p>One static key per instance, as js-libp2p does (the spec allows one per host or one per
 * session). The identity signature over it is made once, in {@link Builder#build()}, so a handshake
 * costs no signing: only one ephemeral key, three X25519 operations and one signature verification.
 * Build the instance off the event loop (signing with a secp256k1 or RSA identity is slow) and
 * share it for all connections of the host.
 *
 * <p>Usage, after multistream-select agreed on {@code /noise}:
 *
 * <pre>{@code
 * NoiseSecurity noise = NoiseSecurity.builder(identity).build();        // once per host
 * NoiseHandler h = noise.newInitiator(expectedPeerOrNull);              // dialer; newResponder() to listen
 * pipeline.addLast(NoiseHandler.NAME, h);
 * h.session().thenAccept(s -> pipeline.addLast(nextHandlers));          // runs on the event loop
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class NoiseSecurity {

  /** The multistream-select protocol ID of noise-libp2p. */
  public static final String PROTOCOL_ID = "/noise";

  /** Default time allowed for the whole handshake. */
  public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** Smallest configurable inbound handshake message limit: message 2 with an empty payload. */
  public static final int MIN_HANDSHAKE_MESSAGE_LIMIT = 96;

  private final IdentityPrivateKey identity;
  private final PeerId localPeer;
  private final X25519KeyPair staticKey;
  private final byte[] payload;
  private final Duration handshakeTimeout;
  private final int maxHandshakeMessageLength;
  private final AeadImplementation aead;

  private NoiseSecurity(Builder b) {
    // Resolves the ChaCha20-Poly1305 choice now: a bad lotus.noise.aead fails the host's start, and
    // calibration begins while the host starts instead of with its first connection.
    AeadSelection.global();
    this.identity = b.identity;
    this.localPeer = PeerId.fromPublicKey(b.identity.publicKey());
    this.staticKey =
        b.staticKey != null ? X25519KeyPair.fromPrivateKey(b.staticKey) : X25519KeyPair.generate();
    this.handshakeTimeout = b.handshakeTimeout;
    this.maxHandshakeMessageLength = b.maxHandshakeMessageLength;
    this.aead = b.aead;
    this.payload =
        NoisePayloads.create(identity, staticKey.publicKey(), b.streamMuxers, b.certhashes);
  }

  /** A builder for the given identity key, with the defaults documented on each setter. */
  public static Builder builder(IdentityPrivateKey identity) {
    return new Builder(identity);
  }

  /**
   * Convenience for a single dialer connection: builds a fresh {@code NoiseSecurity} (new static
   * key, one signature) and returns its initiator handler. Hosts should build one instance and call
   * {@link #newInitiator(PeerId)} instead.
   */
  public static NoiseHandler initiator(IdentityPrivateKey identity, PeerId expectedRemoteOrNull) {
    return builder(identity).build().newInitiator(expectedRemoteOrNull);
  }

  /** Convenience for a single listener connection; see {@link #initiator(IdentityPrivateKey, PeerId)}. */
  public static NoiseHandler responder(IdentityPrivateKey identity) {
    return builder(identity).build().newResponder();
  }

  /**
   * A handler that dials: it sends the first handshake message as soon as it is added to an active
   * channel (or when the channel becomes active).
   *
   * @param expectedRemoteOrNull the peer the dialer meant to reach; when set, a remote whose
   *     identity key yields another peer ID fails the handshake
   */
  public NoiseHandler newInitiator(PeerId expectedRemoteOrNull) {
    return new NoiseHandler(this, true, expectedRemoteOrNull);
  }

  /** A handler that answers a dialer's handshake. */
  public NoiseHandler newResponder() {
    return new NoiseHandler(this, false, null);
  }

  /** The local peer ID, derived from the identity key. */
  public PeerId localPeer() {
    return localPeer;
  }

  /** The local static X25519 public key sent in every handshake. */
  public byte[] staticPublicKey() {
    return staticKey.publicKey();
  }

  /** The handshake timeout. */
  public Duration handshakeTimeout() {
    return handshakeTimeout;
  }

  /** The largest inbound handshake message accepted. */
  public int maxHandshakeMessageLength() {
    return maxHandshakeMessageLength;
  }

  X25519KeyPair staticKey() {
    return staticKey;
  }

  /** The fixed ChaCha20-Poly1305 implementation of every session, or null for the process-wide one. */
  AeadImplementation aead() {
    return aead;
  }

  /** The encoded, signed handshake payload; shared, must not be modified. */
  byte[] payload() {
    return payload;
  }

  /** Builder of {@link NoiseSecurity}; not thread-safe. */
  public static final class Builder {
    private final IdentityPrivateKey identity;
    private byte[] staticKey;
    private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
    private int maxHandshakeMessageLength = HandshakeState.MAX_MESSAGE_LENGTH;
    private List<String> streamMuxers = List.of();
    private List<byte[]> certhashes = List.of();
    private AeadImplementation aead;

    private Builder(IdentityPrivateKey identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
    }

    /**
     * Uses a given X25519 private key as the static Noise key instead of a random one (default:
     * random, generated in {@link #build()}). The spec advises against persisting it.
     */
    public Builder staticKey(byte[] x25519PrivateKey) {
      if (x25519PrivateKey == null || x25519PrivateKey.length != X25519KeyPair.KEY_LENGTH) {
        throw new IllegalArgumentException("static Noise key must be a 32-byte X25519 private key");
      }
      this.staticKey = x25519PrivateKey.clone();
      return this;
    }

    /**
     * Time allowed from the handler's start to the end of the handshake; default 10 s, must be
     * positive.
     */
    public Builder handshakeTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("handshake timeout must be positive, got " + timeout);
      }
      this.handshakeTimeout = timeout;
      return this;
    }

    /**
     * Largest inbound handshake message, checked on its length prefix before it is buffered;
     * default and maximum 65535 (the Noise limit), minimum 96 (message 2 with an empty payload).
     */
    public Builder maxHandshakeMessageLength(int bytes) {
      if (bytes < MIN_HANDSHAKE_MESSAGE_LIMIT || bytes > HandshakeState.MAX_MESSAGE_LENGTH) {
        throw new IllegalArgumentException(
            "max handshake message length must be "
                + MIN_HANDSHAKE_MESSAGE_LIMIT
                + " to "
                + HandshakeState.MAX_MESSAGE_LENGTH
                + ", got "
                + bytes);
      }
      this.maxHandshakeMessageLength = bytes;
      return this;
    }

    /**
     * Stream muxer protocol IDs to announce in {@code NoiseExtensions.stream_muxers} for early
     * muxer negotiation; default none, which makes js-libp2p and go-libp2p negotiate the muxer with
     * multistream-select as usual.
     */
    public Builder streamMuxers(List<String> protocolIds) {
      this.streamMuxers = List.copyOf(protocolIds);
      return this;
    }

    /**
     * Fixes the ChaCha20-Poly1305 implementation of every session, for tests that run the codec on
     * each; default: the process-wide choice of {@link AeadSelection}.
     */
    Builder aead(AeadImplementation implementation) {
      this.aead = implementation;
      return this;
    }

    /** WebTransport certificate hashes to announce; default none (only WebTransport uses them). */
    public Builder webtransportCerthashes(List<byte[]> multihashes) {
      this.certhashes = multihashes.stream().map(byte[]::clone).toList();
      return this;
    }

    /**
     * Generates the static key if none was given and signs it with the identity key. The first
     * build in a process also settles how ChaCha20-Poly1305 is chosen ({@link AeadSelection}).
     *
     * @throws IllegalArgumentException if {@code lotus.noise.aead} has an unknown value
     * @throws IllegalStateException if it names an implementation that is not available
     */
    public NoiseSecurity build() {
      return new NoiseSecurity(this);
    }
  }
}
