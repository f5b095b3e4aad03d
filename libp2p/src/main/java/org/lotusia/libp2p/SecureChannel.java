package org.lotusia.libp2p;

import java.util.List;
import org.lotusia.libp2p.stack.SecureChannels;

/**
 * A connection security protocol negotiated right after the transport connects. It authenticates
 * the remote {@link PeerId} and encrypts the connection.
 *
 * <p>A handle, not an extension point: the implementations come from {@link SecureChannels} ({@code
 * noise()}, the default, and {@code plaintext()} for tests), and {@link HostBuilder#security}
 * refuses any other with {@link IllegalArgumentException}.
 */
public interface SecureChannel {

  /** The multistream protocol IDs of this security protocol. */
  List<String> protocolIds();

  /**
   * Noise XX.
   *
   * @deprecated use {@link SecureChannels#noise()}
   */
  @Deprecated
  static SecureChannel noise() {
    return SecureChannels.noise();
  }

  /**
   * Plaintext, for tests only.
   *
   * @deprecated use {@link SecureChannels#plaintext()}
   */
  @Deprecated
  static SecureChannel plaintext() {
    return SecureChannels.plaintext();
  }
}
