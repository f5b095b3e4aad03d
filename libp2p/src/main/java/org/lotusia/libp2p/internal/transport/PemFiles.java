package org.lotusia.libp2p.internal.transport;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * Reads PEM certificates and private keys with BouncyCastle's PEM parser, which knows every key
 * form OpenSSL writes: PKCS#8 ({@code PRIVATE KEY}, {@code ENCRYPTED PRIVATE KEY}), PKCS#1 ({@code
 * RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}), plain or with OpenSSL's legacy encryption.
 * Files are at most {@value #MAX_FILE} bytes. Stateless.
 */
public final class PemFiles {

  /** The largest PEM file read: a chain of a few certificates fits many times over. */
  public static final int MAX_FILE = 1 << 20;

  private PemFiles() {}

  private static Reader open(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_FILE) {
      throw new IOException(file + " is " + size + " bytes; a PEM file may have " + MAX_FILE);
    }
    return Files.newBufferedReader(file, StandardCharsets.US_ASCII);
  }

  /** Every certificate in {@code file}, in file order; other PEM blocks are skipped. */
  public static List<X509Certificate> certificates(Path file) throws IOException {
    List<X509Certificate> out = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (PEMParser parser = new PEMParser(open(file))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          out.add(converter.getCertificate(holder));
        }
      }
    } catch (CertificateException | RuntimeException e) {
      throw new IOException(file + ": not a PEM certificate file: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The first private key in {@code file}.
   *
   * @param password for an encrypted key; {@code null} otherwise
   */
  public static PrivateKey privateKey(Path file, char[] password) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (PEMParser parser = new PEMParser(open(file))) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
        if (o instanceof PEMKeyPair pair) {
          return converter.getKeyPair(pair).getPrivate();
        }
        if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
          return converter.getPrivateKey(
              enc.decryptPrivateKeyInfo(
                  new JceOpenSSLPKCS8DecryptorProviderBuilder().build(need(password, file))));
        }
        if (o instanceof PEMEncryptedKeyPair enc) {
          return converter
              .getKeyPair(enc.decryptKeyPair(
                  new JcePEMDecryptorProviderBuilder().build(need(password, file))))
              .getPrivate();
        }
      }
    } catch (OperatorCreationException | PKCSException | RuntimeException e) {
      throw new IOException(file + ": the private key cannot be read: " + e.getMessage(), e);
    }
    throw new IOException(file + " holds no PEM private key");
  }

  private static char[] need(char[] password, Path file) throws IOException {
    if (password == null) {
      throw new IOException(file + ": the private key is encrypted; give its password");
    }
    return password;
  }
}
