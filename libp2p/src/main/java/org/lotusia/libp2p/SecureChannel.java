package org.lotusia.libp2p;

import java.util.List;
import org.lotusia.libp2p.internal.host.NoiseChannelSecurity;
import org.lotusia.libp2p.internal.plaintext.PlaintextSecurity;

/**
 * A connection security protocol negotiated right after the transport connects. It authenticates the
 * remote {@link PeerId} and encrypts the connection.
 *
 * <p>Implementations live inside the library: {@link #noise()} (the default) and, for tests only,
 * {@link #plaintext()}.
 */
public interface SecureChannel {

  /** The multistream protocol IDs of this security protocol. */
  List<String> protocolIds();

  /** Noise XX ({@code /noise}) with the libp2p handshake payload. */
  static SecureChannel noise() {
    return new NoiseChannelSecurity();
  }

  /**
   * {@code /plaintext/2.0.0}: exchanges peer IDs and keys without encryption or authentication. For
   * tests only; never use it on a network.
   */
  static SecureChannel plaintext() {
    return new PlaintextSecurity();
  }
}
