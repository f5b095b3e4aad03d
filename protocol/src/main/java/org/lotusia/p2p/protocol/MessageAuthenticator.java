package org.lotusia.p2p.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Optional authenticated mode for {@code /lotus/message/1.0.0}, beyond lotus-sdk (which trusts the
 * {@code from} field and never sets or checks {@code signature}).
 *
 * <p>Two independent checks, given the remote peer that the secure channel (Noise) authenticated:
 *
 * <ol>
 *   <li>sender binding: a message whose {@code from} differs from that peer is rejected;
 *   <li>content signature: {@code signature} is a signature by that peer's libp2p identity key over
 *       {@link #signingBytes(P2PMessage)}. {@link SignatureMode#IF_PRESENT} verifies signatures
 *       that are there (lotus-sdk peers send none); {@link SignatureMode#REQUIRED} also rejects
 *       unsigned messages.
 * </ol>
 *
 * {@link #disabled()} (the default of the security manager) checks nothing, for lotus-sdk
 * compatibility.
 *
 * <p>Canonical signing bytes: ASCII {@value #DOMAIN}, then for each of {@code type}, {@code from},
 * {@code to}, {@code protocol}, {@code messageId}, {@code payload} one byte 0 (absent) or 1
 * (present) followed, when present, by a 4-byte big-endian length and the UTF-8 bytes (the payload
 * as its {@code JSON.stringify} text, see {@link JsJsonWriter}), and finally the timestamp as an
 * 8-byte big-endian integer. The signature field itself is not covered. The encoding is
 * unambiguous, unlike the concatenation of the de-duplication hash, and reproducible in JavaScript
 * because the payload text is what {@code JSON.stringify} writes.
 *
 * <p>Immutable and thread-safe if the verifier is.
 */
public final class MessageAuthenticator {

  /** Domain-separation prefix of the signing bytes. */
  public static final String DOMAIN = "lotus-p2p-message-signature/1";

  /** How signatures are handled in authenticated mode. */
  public enum SignatureMode {
    /** Signatures are ignored. */
    IGNORE,
    /** A signature that is present must verify; unsigned messages pass. */
    IF_PRESENT,
    /** Every message must carry a valid signature. */
    REQUIRED
  }

  private static final MessageAuthenticator DISABLED =
      new MessageAuthenticator(false, SignatureMode.IGNORE, null);

  private final boolean requireSenderMatch;
  private final SignatureMode signatureMode;
  private final SignatureVerifier verifier;

  private MessageAuthenticator(
      boolean requireSenderMatch, SignatureMode signatureMode, SignatureVerifier verifier) {
    this.requireSenderMatch = requireSenderMatch;
    this.signatureMode = signatureMode;
    this.verifier = verifier;
  }

  /**
   * The lotus-sdk-compatible mode: nothing is checked.
   *
   * @return the shared disabled authenticator
   */
  public static MessageAuthenticator disabled() {
    return DISABLED;
  }

  /**
   * Sender binding only: {@code from} must equal the authenticated remote peer.
   *
   * @return an authenticator
   */
  public static MessageAuthenticator senderBinding() {
    return new MessageAuthenticator(true, SignatureMode.IGNORE, null);
  }

  /**
   * Sender binding plus content signatures.
   *
   * @param mode {@link SignatureMode#IF_PRESENT} or {@link SignatureMode#REQUIRED}
   * @param verifier checks signatures by peer identity keys
   * @return an authenticator
   * @throws IllegalArgumentException if {@code mode} is {@link SignatureMode#IGNORE} (use {@link
   *     #senderBinding()})
   */
  public static MessageAuthenticator signed(SignatureMode mode, SignatureVerifier verifier) {
    Objects.requireNonNull(verifier, "verifier");
    if (mode == null || mode == SignatureMode.IGNORE) {
      throw new IllegalArgumentException("signed mode needs IF_PRESENT or REQUIRED, got " + mode);
    }
    return new MessageAuthenticator(true, mode, verifier);
  }

  /**
   * Whether any check is active.
   *
   * @return false for {@link #disabled()}
   */
  public boolean enabled() {
    return requireSenderMatch || signatureMode != SignatureMode.IGNORE;
  }

  /**
   * Checks a received message against the authenticated remote peer of its stream.
   *
   * @param message the message
   * @param remotePeerId the peer id the secure channel authenticated
   * @return accepted, or the failure with details
   */
  public AuthResult check(P2PMessage message, String remotePeerId) {
    if (requireSenderMatch && !Objects.equals(message.from(), remotePeerId)) {
      return new AuthResult(
          AuthFailure.SENDER_MISMATCH,
          "field 'from' is '"
              + message.from()
              + "' but the stream is authenticated as peer '"
              + remotePeerId
              + "'");
    }
    if (signatureMode == SignatureMode.IGNORE) {
      return AuthResult.ok();
    }
    byte[] sig = message.signatureUnsafe();
    if (sig == null) {
      return signatureMode == SignatureMode.REQUIRED
          ? new AuthResult(
              AuthFailure.SIGNATURE_MISSING, "message has no signature and one is required")
          : AuthResult.ok();
    }
    boolean valid;
    try {
      valid = verifier.verify(remotePeerId, signingBytes(message), sig.clone());
    } catch (RuntimeException e) {
      valid = false;
    }
    return valid
        ? AuthResult.ok()
        : new AuthResult(
            AuthFailure.SIGNATURE_INVALID,
            "signature of "
                + sig.length
                + " bytes does not verify under the key of peer '"
                + remotePeerId
                + "'");
  }

  /**
   * Signs a message with the local identity key.
   *
   * @param message the message; its {@code from} should be the signer's peer id
   * @param signer signs with the local libp2p identity key
   * @return the message with {@code signature} set
   */
  public static P2PMessage sign(P2PMessage message, MessageSigner signer) {
    return message.withSignature(signer.sign(signingBytes(message)));
  }

  /**
   * The canonical bytes a signature covers (see the class documentation).
   *
   * @param m the message
   * @return the signing bytes
   */
  public static byte[] signingBytes(P2PMessage m) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.writeBytes(DOMAIN.getBytes(StandardCharsets.US_ASCII));
    field(out, m.type());
    field(out, m.from());
    field(out, m.to());
    field(out, m.protocol());
    field(out, m.messageId());
    field(
        out,
        m.payload() == null || m.payload().isMissingNode()
            ? null
            : JsJsonWriter.write(m.payload()));
    long ts = m.timestamp();
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (ts >>> shift));
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String value) {
    if (value == null) {
      out.write(0);
      return;
    }
    byte[] b = MessageHasher.nodeUtf8(value);
    out.write(1);
    out.write(b.length >>> 24);
    out.write(b.length >>> 16);
    out.write(b.length >>> 8);
    out.write(b.length);
    out.writeBytes(b);
  }
}
