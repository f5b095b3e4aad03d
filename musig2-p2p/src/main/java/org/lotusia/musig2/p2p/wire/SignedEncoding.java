package org.lotusia.musig2.p2p.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.lotusia.chain.crypto.Hashes;

/**
 * The canonical byte encoding that session messages and announcements are signed over: a domain
 * string, then every covered field in a fixed order, each variable-length field prefixed with its
 * length as a 4-byte big-endian integer, integers big-endian of fixed width. Two different messages
 * never share an encoding (every boundary is explicit), unlike lotus-sdk's unseparated
 * concatenation (reference 3.10, 6.2 P8). The signature is Lotus Schnorr over {@link #digest()},
 * the SHA-256 of the encoding. Not thread-safe; one per message.
 */
public final class SignedEncoding {

  /** Domain of session messages in envelopes. */
  public static final String MESSAGE_DOMAIN = "lotus-musig2-p2p/v1/message";

  /** Domain of session announcements. */
  public static final String ANNOUNCEMENT_DOMAIN = "lotus-musig2-p2p/v1/announcement";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  /**
   * @param domain the domain-separation string, written first
   */
  public SignedEncoding(String domain) {
    str(domain);
  }

  /**
   * Writes a length-prefixed UTF-8 string.
   *
   * @param s the string
   * @return this
   */
  public SignedEncoding str(String s) {
    return bytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a presence byte and, when present, a length-prefixed UTF-8 string.
   *
   * @param s the string or {@code null}
   * @return this
   */
  public SignedEncoding optStr(String s) {
    out.write(s == null ? 0 : 1);
    return s == null ? this : str(s);
  }

  /**
   * Writes length-prefixed bytes.
   *
   * @param b the bytes
   * @return this
   */
  public SignedEncoding bytes(byte[] b) {
    u32(b.length);
    out.write(b, 0, b.length);
    return this;
  }

  /**
   * Writes a presence byte and, when present, length-prefixed bytes.
   *
   * @param b the bytes or {@code null}
   * @return this
   */
  public SignedEncoding optBytes(byte[] b) {
    out.write(b == null ? 0 : 1);
    return b == null ? this : bytes(b);
  }

  /**
   * Writes 4 bytes big-endian.
   *
   * @param v the value
   * @return this
   */
  public SignedEncoding u32(long v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift) & 0xff);
    }
    return this;
  }

  /**
   * Writes a presence byte and, when present, 4 bytes big-endian.
   *
   * @param v the value or {@code null}
   * @return this
   */
  public SignedEncoding optU32(Integer v) {
    out.write(v == null ? 0 : 1);
    return v == null ? this : u32(v);
  }

  /**
   * Writes 8 bytes big-endian.
   *
   * @param v the value
   * @return this
   */
  public SignedEncoding u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift) & 0xff);
    }
    return this;
  }

  /**
   * Writes one byte, 1 for true.
   *
   * @param v the value
   * @return this
   */
  public SignedEncoding bool(boolean v) {
    out.write(v ? 1 : 0);
    return this;
  }

  /**
   * @return a copy of the encoding so far
   */
  public byte[] toByteArray() {
    return out.toByteArray();
  }

  /**
   * @return SHA-256 of the encoding: the 32 bytes that are signed
   */
  public byte[] digest() {
    return Hashes.sha256(out.toByteArray());
  }

  /**
   * The digest a session message is signed over: the envelope fields that identify it ({@code
   * type}, {@code from}, {@code messageId}), then the session ID, the sequence number, the payload
   * timestamp and the message's own fields. The envelope's {@code to}, {@code timestamp} and
   * {@code protocol} are not covered, so a message can be relayed unchanged.
   *
   * @param from the sender's peer ID as written in the envelope
   * @param messageId the envelope's message ID
   * @param sequenceNumber the sender's sequence number for the message
   * @param message the message (its own auth field is ignored)
   * @return the 32-byte digest
   */
  public static byte[] messageDigest(
      String from, String messageId, long sequenceNumber, SessionMessage message) {
    SignedEncoding e = new SignedEncoding(MESSAGE_DOMAIN);
    e.str(message.type().wire())
        .str(from)
        .str(messageId)
        .str(message.sessionId())
        .u64(sequenceNumber)
        .u64(message.timestamp());
    message.writeSignedFields(e);
    return e.digest();
  }
}
