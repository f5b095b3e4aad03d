package org.lotusia.libp2p;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.lotusia.libp2p.internal.transport.PemFiles;

/**
 * TLS for secure WebSocket ({@code /wss}, {@code /tls/ws}, {@code /tls/sni/<name>/ws}), given to
 * {@link org.lotusia.libp2p.stack.Transports#websocket(WebSocketOptions, WebSocketTls)}.
 *
 * <p>Two independent halves:
 *
 * <ul>
 *   <li>the <b>server certificate</b> a {@code /wss} listener presents: a PEM certificate chain
 *       and a PEM private key (PKCS#8, PKCS#1 or SEC1; encrypted PKCS#8 or OpenSSL keys with a
 *       password), a PKCS#12 file, or a key and chain already in memory. Without one, listening on
 *       {@code /wss} fails with an {@link IllegalArgumentException} that says so;
 *   <li>the <b>trust</b> a {@code /wss} dial checks the server certificate against: the JDK's
 *       trust store (the default), or the certificates of a PEM file, a PKCS#12 or JKS trust store,
 *       or given certificates. The host name (or IP address, or the {@code /sni} name) of the
 *       address is always verified against the certificate (RFC 2818).
 * </ul>
 *
 * TLS itself is the JDK's ({@code SSLEngine} under Netty's {@code SslHandler}): TLS 1.3 and 1.2
 * with the JDK's default cipher suites. Files are read when {@link Builder#build()} runs; a file
 * that is missing or does not hold what it should fails there.
 *
 * <p>Immutable and thread-safe; one instance may serve several transports.
 */
public final class WebSocketTls {

  /** No server certificate; dials trust the JDK's trust store. */
  public static final WebSocketTls DEFAULT = new WebSocketTls(null, null);

  private final KeyManagerFactory keyManagers;
  private final TrustManagerFactory trustManagers;

  private WebSocketTls(KeyManagerFactory keyManagers, TrustManagerFactory trustManagers) {
    this.keyManagers = keyManagers;
    this.trustManagers = trustManagers;
  }

  /** A builder with neither a server certificate nor a trust store of its own. */
  public static Builder builder() {
    return new Builder();
  }

  /** The server certificate and key, for listeners; empty when none was configured. */
  public Optional<KeyManagerFactory> keyManagers() {
    return Optional.ofNullable(keyManagers);
  }

  /** The trust for dials; empty for the JDK's default trust store. */
  public Optional<TrustManagerFactory> trustManagers() {
    return Optional.ofNullable(trustManagers);
  }

  /** Whether a listener can serve {@code /wss} with this configuration. */
  public boolean canServe() {
    return keyManagers != null;
  }

  /** Builds a {@link WebSocketTls}; not thread-safe. Set at most one server certificate source. */
  public static final class Builder {
    private static final char[] IN_MEMORY = "lotus-p2p".toCharArray();

    private KeyManagerFactory keyManagers;
    private TrustManagerFactory trustManagers;
    private Path certificateChain;
    private Path privateKey;
    private char[] keyPassword;
    private Path pkcs12;
    private char[] pkcs12Password;
    private PrivateKey key;
    private List<X509Certificate> chain;
    private final List<X509Certificate> trusted = new ArrayList<>();
    private Path trustPem;
    private Path trustStore;
    private char[] trustStorePassword;

    private Builder() {}

    /**
     * The server certificate from PEM files.
     *
     * @param chain the certificate chain, leaf first ({@code BEGIN CERTIFICATE} blocks)
     * @param key the private key: {@code BEGIN PRIVATE KEY}, {@code BEGIN RSA PRIVATE KEY} or
     *     {@code BEGIN EC PRIVATE KEY}
     */
    public Builder certificatePem(Path chain, Path key) {
      return certificatePem(chain, key, null);
    }

    /**
     * The server certificate from PEM files with an encrypted private key.
     *
     * @param password the key's password; {@code null} when the key is not encrypted
     */
    public Builder certificatePem(Path chain, Path key, char[] password) {
      this.certificateChain = Objects.requireNonNull(chain, "chain");
      this.privateKey = Objects.requireNonNull(key, "key");
      this.keyPassword = password == null ? null : password.clone();
      return this;
    }

    /**
     * The server certificate from a PKCS#12 file holding one private key entry with its chain.
     *
     * @param password the file's password (also used for the key)
     */
    public Builder pkcs12(Path file, char[] password) {
      this.pkcs12 = Objects.requireNonNull(file, "file");
      this.pkcs12Password = Objects.requireNonNull(password, "password").clone();
      return this;
    }

    /** The server certificate from a key and its chain (leaf first) already in memory. */
    public Builder certificate(PrivateKey key, List<X509Certificate> chain) {
      this.key = Objects.requireNonNull(key, "key");
      this.chain = List.copyOf(chain);
      if (this.chain.isEmpty()) {
        throw new IllegalArgumentException("the certificate chain is empty; give the leaf first");
      }
      return this;
    }

    /** Dials trust the certificates of a PEM file instead of the JDK's trust store. */
    public Builder trustPem(Path file) {
      this.trustPem = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Dials trust the certificates of a trust store (PKCS#12 or JKS, detected from the file)
     * instead of the JDK's trust store.
     *
     * @param password the store's password, or {@code null} when it has none
     */
    public Builder trustStore(Path file, char[] password) {
      this.trustStore = Objects.requireNonNull(file, "file");
      this.trustStorePassword = password == null ? null : password.clone();
      return this;
    }

    /** Dials trust these certificates instead of the JDK's trust store. */
    public Builder trustCertificates(List<X509Certificate> certificates) {
      trusted.addAll(certificates);
      return this;
    }

    /**
     * Reads the files and builds the configuration.
     *
     * @throws IllegalArgumentException when several server certificate sources are set, or a file
     *     is missing, unreadable or holds no usable key or certificate; the message names the file
     */
    public WebSocketTls build() {
      int sources =
          (certificateChain != null ? 1 : 0) + (pkcs12 != null ? 1 : 0) + (key != null ? 1 : 0);
      if (sources > 1) {
        throw new IllegalArgumentException(
            "give one server certificate: PEM files, a PKCS#12 file or a key and chain");
      }
      try {
        if (certificateChain != null) {
          keyManagers =
              keyManagers(
                  PemFiles.privateKey(privateKey, keyPassword),
                  PemFiles.certificates(certificateChain));
        } else if (pkcs12 != null) {
          keyManagers = pkcs12KeyManagers();
        } else if (key != null) {
          keyManagers = keyManagers(key, chain);
        }
        trustManagers = trust();
      } catch (java.nio.file.NoSuchFileException e) {
        throw new IllegalArgumentException("TLS configuration: no such file: " + e.getMessage(), e);
      } catch (java.nio.file.AccessDeniedException e) {
        throw new IllegalArgumentException("TLS configuration: cannot read " + e.getMessage(), e);
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalArgumentException("TLS configuration: " + e.getMessage(), e);
      }
      return new WebSocketTls(keyManagers, trustManagers);
    }

    private static KeyManagerFactory keyManagers(PrivateKey key, List<X509Certificate> chain)
        throws GeneralSecurityException, IOException {
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("the certificate file holds no certificate");
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(store, IN_MEMORY);
      return f;
    }

    private KeyManagerFactory pkcs12KeyManagers() throws GeneralSecurityException, IOException {
      KeyStore store = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(pkcs12)) {
        store.load(in, pkcs12Password);
      } catch (IOException e) {
        throw new IOException(pkcs12 + ": not a readable PKCS#12 file or wrong password", e);
      }
      boolean hasKey = false;
      for (String alias : java.util.Collections.list(store.aliases())) {
        hasKey |= store.isKeyEntry(alias);
      }
      if (!hasKey) {
        throw new IllegalArgumentException(pkcs12 + " holds no private key entry");
      }
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(store, pkcs12Password);
      return f;
    }

    private TrustManagerFactory trust() throws GeneralSecurityException, IOException {
      List<X509Certificate> certs = new ArrayList<>(trusted);
      if (trustPem != null) {
        List<X509Certificate> fromFile = PemFiles.certificates(trustPem);
        if (fromFile.isEmpty()) {
          throw new IllegalArgumentException(trustPem + " holds no certificate");
        }
        certs.addAll(fromFile);
      }
      KeyStore store;
      if (trustStore != null) {
        try {
          store = KeyStore.getInstance(trustStore.toFile(), trustStorePassword);
        } catch (IOException e) {
          throw new IOException(trustStore + ": not a readable trust store or wrong password", e);
        }
      } else if (!certs.isEmpty()) {
        store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
      } else {
        return null; // the JDK's default trust store
      }
      for (int i = 0; i < certs.size(); i++) {
        store.setCertificateEntry("trusted-" + i, certs.get(i));
      }
      TrustManagerFactory f =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f;
    }
  }
}
