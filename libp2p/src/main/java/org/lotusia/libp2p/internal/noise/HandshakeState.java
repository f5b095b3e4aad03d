package org.lotusia.libp2p.internal.noise;

import java.util.Arrays;

/**
 * The Noise {@code HandshakeState} (Noise Protocol Framework rev 34, section 5.3) for exactly one
 * protocol, {@code Noise_XX_25519_ChaChaPoly_SHA256}, the only one noise-libp2p allows:
 *
 * <pre>
 * XX:
 *   -&gt; e
 *   &lt;- e, ee, s, es
 *   -&gt; s, se
 * </pre>
 *
 * <p>I/O-free: {@link #writeMessage} returns the bytes of the next message, {@link #readMessage}
 * consumes one; framing is the caller's job. After the third message {@link #split()} yields the
 * transport cipher states. Each message's length is checked against the least the pattern needs, so
 * a truncated message fails with a {@link NoiseFailure} naming the message, never with an index
 * error.
 *
 * <p>Not thread-safe; one handshake, one owner.
 */
public final class HandshakeState {

  /**
   * The Noise protocol name libp2p mandates; exactly 32 bytes, so it is used unhashed as {@code h}.
   */
  public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

  /** Largest Noise message (Noise rev 34, section 3). */
  public static final int MAX_MESSAGE_LENGTH = 65535;

  private static final int DH_LEN = X25519KeyPair.KEY_LENGTH;
  private static final int ENCRYPTED_KEY_LEN = DH_LEN + CipherState.TAG_LENGTH;

  private final boolean initiator;
  private final SymmetricState symmetric;
  private final X25519KeyPair s;
  private final X25519KeyPair e;
  private byte[] re;
  private byte[] rs;
  private int messageIndex;

  /**
   * Starts a handshake with a fresh ephemeral key.
   *
   * @param initiator true for the dialer, which sends the first message
   * @param prologue prologue bytes both sides must agree on (empty for libp2p)
   * @param staticKey the local static Noise key pair
   */
  public HandshakeState(boolean initiator, byte[] prologue, X25519KeyPair staticKey) {
    this(initiator, prologue, staticKey, X25519KeyPair.generate());
  }

  /**
   * Starts a handshake with a given ephemeral key; only known-answer tests fix the ephemeral key.
   */
  HandshakeState(
      boolean initiator, byte[] prologue, X25519KeyPair staticKey, X25519KeyPair ephemeral) {
    this(initiator, prologue, staticKey, ephemeral, null);
  }

  /**
   * Starts a handshake with a given ephemeral key whose cipher states all use {@code aead}, or the
   * process-wide choice when it is null; tests run the known answers on every implementation.
   */
  HandshakeState(
      boolean initiator,
      byte[] prologue,
      X25519KeyPair staticKey,
      X25519KeyPair ephemeral,
      AeadImplementation aead) {
    if (staticKey == null || ephemeral == null || prologue == null) {
      throw new IllegalArgumentException("static key, ephemeral key and prologue are required");
    }
    this.initiator = initiator;
    this.s = staticKey;
    this.e = ephemeral;
    this.symmetric = new SymmetricState(PROTOCOL_NAME, aead);
    symmetric.mixHash(prologue); // XX has no pre-messages
  }

  /** True for the initiator (dialer). */
  public boolean isInitiator() {
    return initiator;
  }

  /** True when it is this side's turn to write the next message. */
  public boolean isMyTurn() {
    return messageIndex < 3 && ((messageIndex % 2 == 0) == initiator);
  }

  /** True after all three messages have been written or read. */
  public boolean isComplete() {
    return messageIndex == 3;
  }

  /** The 1-based number of the next handshake message (4 when complete). */
  public int nextMessageNumber() {
    return messageIndex + 1;
  }

  /**
   * Writes the next handshake message carrying {@code payload}.
   *
   * @return the message bytes, at most 65535
   * @throws IllegalStateException if it is not this side's turn
   * @throws IllegalArgumentException if the message would exceed 65535 bytes
   */
  public byte[] writeMessage(byte[] payload) {
    if (!isMyTurn()) {
      throw new IllegalStateException(
          "not this side's turn to write handshake message " + nextMessageNumber());
    }
    int overhead =
        switch (messageIndex) {
          case 0 -> DH_LEN;
          case 1 -> DH_LEN + ENCRYPTED_KEY_LEN + CipherState.TAG_LENGTH;
          default -> ENCRYPTED_KEY_LEN + CipherState.TAG_LENGTH;
        };
    if (payload.length + overhead > MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException(
          "handshake payload of "
              + payload.length
              + " bytes makes message "
              + nextMessageNumber()
              + " exceed "
              + MAX_MESSAGE_LENGTH
              + " bytes");
    }
    byte[] out;
    switch (messageIndex) {
      case 0 -> { // -> e
        byte[] ePub = e.publicKey();
        symmetric.mixHash(ePub);
        out = concat(ePub, symmetric.encryptAndHash(payload));
      }
      case 1 -> { // <- e, ee, s, es
        byte[] ePub = e.publicKey();
        symmetric.mixHash(ePub);
        symmetric.mixKey(e.dh(re));
        byte[] encS = symmetric.encryptAndHash(s.publicKey());
        symmetric.mixKey(s.dh(re));
        out = concat(ePub, encS, symmetric.encryptAndHash(payload));
      }
      default -> { // -> s, se
        byte[] encS = symmetric.encryptAndHash(s.publicKey());
        symmetric.mixKey(s.dh(re));
        out = concat(encS, symmetric.encryptAndHash(payload));
      }
    }
    messageIndex++;
    return out;
  }

  /**
   * Reads the next handshake message and returns its decrypted payload.
   *
   * @throws NoiseFailure if the message is too short, a DH output is invalid or authentication
   *     fails
   * @throws IllegalStateException if it is this side's turn to write
   */
  public byte[] readMessage(byte[] message) {
    if (isComplete() || isMyTurn()) {
      throw new IllegalStateException(
          "not expecting to read handshake message " + nextMessageNumber());
    }
    int least =
        switch (messageIndex) {
          case 0 -> DH_LEN;
          case 1 -> DH_LEN + ENCRYPTED_KEY_LEN + CipherState.TAG_LENGTH;
          default -> ENCRYPTED_KEY_LEN + CipherState.TAG_LENGTH;
        };
    if (message.length < least || message.length > MAX_MESSAGE_LENGTH) {
      throw new NoiseFailure(
          "Noise handshake message "
              + nextMessageNumber()
              + " is "
              + message.length
              + " bytes; it must be "
              + least
              + " to "
              + MAX_MESSAGE_LENGTH);
    }
    byte[] payload;
    switch (messageIndex) {
      case 0 -> { // -> e
        re = Arrays.copyOfRange(message, 0, DH_LEN);
        symmetric.mixHash(re);
        payload = symmetric.decryptAndHash(Arrays.copyOfRange(message, DH_LEN, message.length));
      }
      case 1 -> { // <- e, ee, s, es
        re = Arrays.copyOfRange(message, 0, DH_LEN);
        symmetric.mixHash(re);
        symmetric.mixKey(e.dh(re));
        rs =
            symmetric.decryptAndHash(
                Arrays.copyOfRange(message, DH_LEN, DH_LEN + ENCRYPTED_KEY_LEN));
        symmetric.mixKey(e.dh(rs));
        payload =
            symmetric.decryptAndHash(
                Arrays.copyOfRange(message, DH_LEN + ENCRYPTED_KEY_LEN, message.length));
      }
      default -> { // -> s, se
        rs = symmetric.decryptAndHash(Arrays.copyOfRange(message, 0, ENCRYPTED_KEY_LEN));
        symmetric.mixKey(e.dh(rs));
        payload =
            symmetric.decryptAndHash(
                Arrays.copyOfRange(message, ENCRYPTED_KEY_LEN, message.length));
      }
    }
    messageIndex++;
    return payload;
  }

  /**
   * The remote static public key, once received (message 2 for the initiator, 3 for the responder).
   */
  public byte[] remoteStaticKey() {
    if (rs == null) {
      throw new IllegalStateException("remote static key not received yet");
    }
    return rs.clone();
  }

  /** The local static public key. */
  public byte[] localStaticKey() {
    return s.publicKey();
  }

  /** The handshake hash {@code h}; after completion, the value for channel binding. */
  public byte[] handshakeHash() {
    return symmetric.handshakeHash();
  }

  /**
   * Splits the completed handshake into transport cipher states for this side.
   *
   * @throws IllegalStateException before the third message has been processed
   */
  public TransportCiphers split() {
    if (!isComplete()) {
      throw new IllegalStateException("handshake not complete");
    }
    CipherState[] cs = symmetric.split();
    return initiator ? new TransportCiphers(cs[0], cs[1]) : new TransportCiphers(cs[1], cs[0]);
  }

  private static byte[] concat(byte[]... parts) {
    int len = 0;
    for (byte[] p : parts) {
      len += p.length;
    }
    byte[] out = new byte[len];
    int off = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, off, p.length);
      off += p.length;
    }
    return out;
  }

  /**
   * The transport cipher states of one side after {@code Split()}.
   *
   * @param sender encrypts what this side sends
   * @param receiver decrypts what this side receives
   */
  public record TransportCiphers(CipherState sender, CipherState receiver) {}
}
