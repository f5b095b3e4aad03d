package org.lotusia.libp2p.internal.plaintext;

import java.time.Duration;
import java.util.List;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.libp2p.internal.host.ChannelSecurity;

/**
 * {@code /plaintext/2.0.0}: both sides send an {@code Exchange{id, pubkey}} and check that the
 * remote ID matches its key. No encryption and no proof of key possession, so for tests only.
 */
public final class PlaintextSecurity implements ChannelSecurity {

  /** The protocol ID. */
  public static final String PROTOCOL_ID = "/plaintext/2.0.0";

  /** Default limit of the Exchange message. */
  public static final int DEFAULT_MAX_MESSAGE = 4096;

  private final int maxMessage;

  /** Plaintext with the default message limit. */
  public PlaintextSecurity() {
    this(DEFAULT_MAX_MESSAGE);
  }

  /**
   * Plaintext with a message limit.
   *
   * @throws IllegalArgumentException when {@code maxMessage} is below 64
   */
  public PlaintextSecurity(int maxMessage) {
    if (maxMessage < 64) {
      throw new IllegalArgumentException("maxMessage must be >= 64, got " + maxMessage);
    }
    this.maxMessage = maxMessage;
  }

  @Override
  public List<String> protocolIds() {
    return List.of(PROTOCOL_ID);
  }

  @Override
  public Bound bind(IdentityPrivateKey identity, Duration handshakeTimeout, List<String> muxers) {
    return (pipeline, initiator, expected) -> {
      PlaintextHandler handler =
          new PlaintextHandler(identity.publicKey(), expected, maxMessage, handshakeTimeout);
      pipeline.addLast("plaintext", handler);
      return handler.session();
    };
  }

  @Override
  public String toString() {
    return "plaintext";
  }
}
