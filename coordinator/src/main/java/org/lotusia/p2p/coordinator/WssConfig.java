package org.lotusia.p2p.coordinator;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.lotusia.libp2p.WebSocketTls;

/**
 * The server certificate of the coordinator's secure WebSocket listeners ({@code .../tcp/<port>/wss}
 * in {@link P2PConfig#listen()}): a PEM certificate chain with its PEM private key, or a PKCS#12
 * file. Files are read when the coordinator starts. Dials to {@code /wss} addresses check the
 * remote certificate against the JDK's trust store.
 *
 * @param certificate a PEM certificate chain (leaf first), or a PKCS#12 file when {@code key} is
 *     empty
 * @param key the PEM private key (PKCS#8, PKCS#1 or SEC1); empty when {@code certificate} is
 *     PKCS#12
 * @param password the PKCS#12 password, or the password of an encrypted PEM key; empty when none
 */
public record WssConfig(Path certificate, Optional<Path> key, Optional<String> password) {

  /** Checks the parts are present; the files are read at start. */
  public WssConfig {
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(password, "password");
    if (key.isEmpty() && password.isEmpty()) {
      throw new IllegalArgumentException(
          "wss: a PKCS#12 certificate needs its password (or give a PEM key with the PEM chain)");
    }
  }

  /** A PEM certificate chain and an unencrypted PEM key. */
  public static WssConfig pem(Path chain, Path key) {
    return new WssConfig(chain, Optional.of(key), Optional.empty());
  }

  /** A PKCS#12 file and its password. */
  public static WssConfig pkcs12(Path file, String password) {
    return new WssConfig(file, Optional.empty(), Optional.of(password));
  }

  /**
   * Reads the files.
   *
   * @throws IllegalArgumentException naming the file that is missing or holds no usable key or
   *     certificate
   */
  public WebSocketTls load() {
    char[] pw = password.map(String::toCharArray).orElse(null);
    WebSocketTls.Builder b = WebSocketTls.builder();
    if (key.isPresent()) {
      b.certificatePem(certificate, key.get(), pw);
    } else {
      b.pkcs12(certificate, pw);
    }
    return b.build();
  }
}
