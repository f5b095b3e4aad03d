package org.lotusia.libp2p.stack;

import org.lotusia.libp2p.SecureChannel;
import org.lotusia.libp2p.internal.host.NoiseChannelSecurity;
import org.lotusia.libp2p.internal.plaintext.PlaintextSecurity;

/**
 * The connection security protocols a host can negotiate, for {@link
 * org.lotusia.libp2p.HostBuilder#security}. Each call returns a new, stateless handle.
 */
public final class SecureChannels {

  private SecureChannels() {}

  /** Noise XX ({@code /noise}) with the libp2p handshake payload; the default. */
  public static SecureChannel noise() {
    return new NoiseChannelSecurity();
  }

  /**
   * {@code /plaintext/2.0.0}: exchanges peer IDs and keys without encryption or authentication. For
   * tests only; never use it on a network.
   */
  public static SecureChannel plaintext() {
    return new PlaintextSecurity();
  }
}
