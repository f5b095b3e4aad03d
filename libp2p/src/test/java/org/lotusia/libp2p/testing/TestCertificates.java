package org.lotusia.libp2p.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority and a server certificate it signed, made with BouncyCastle
 * for TLS tests: P-256 keys, valid from an hour ago for a day, the server certificate naming the
 * given DNS names and IP addresses. Written as PEM (chain, PKCS#8 key, CA) or PKCS#12 on request.
 *
 * @param ca the authority's certificate (the trust anchor of the tests)
 * @param server the server certificate
 * @param serverKey the server's key pair
 */
public record TestCertificates(X509Certificate ca, X509Certificate server, KeyPair serverKey) {

  /** A CA and a server certificate for {@code names}: IP literals become IP SANs, others DNS. */
  public static TestCertificates create(String... names) {
    try {
      KeyPair caKey = ecKey();
      KeyPair serverKey = ecKey();
      X500Name caName = new X500Name("CN=lotus-p2p test CA");
      Instant now = Instant.now();
      X509v3CertificateBuilder caCert =
          new JcaX509v3CertificateBuilder(
              caName, BigInteger.ONE, Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))), caName, caKey.getPublic());
      caCert.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      caCert.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate ca = sign(caCert, caKey);

      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        boolean ip = n.matches("[0-9.]+") || n.contains(":");
        sans.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, n));
      }
      X509v3CertificateBuilder serverCert =
          new JcaX509v3CertificateBuilder(
              caName, BigInteger.TWO, Date.from(now.minus(Duration.ofHours(1))),
              Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=" + names[0]),
              serverKey.getPublic());
      serverCert.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      serverCert.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      serverCert.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      serverCert.addExtension(
          Extension.subjectAlternativeName, false,
          new GeneralNames(sans.toArray(new GeneralName[0])));
      return new TestCertificates(ca, sign(serverCert, caKey), serverKey);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("cannot make test certificates", e);
    }
  }

  private static KeyPair ecKey() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA")
            .build(signer.getPrivate())));
  }

  /** The server chain (server, then CA). */
  public List<X509Certificate> chain() {
    return List.of(server, ca);
  }

  private static String pem(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the chain (server, CA) as PEM to {@code dir/chain.pem}. */
  public Path chainPem(Path dir) {
    return write(dir.resolve("chain.pem"), pem(server, ca));
  }

  /** Writes the server key as PKCS#8 PEM to {@code dir/key.pem}. */
  public Path keyPem(Path dir) {
    try {
      return write(
          dir.resolve("key.pem"),
          pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(serverKey.getPrivate(), null)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the CA certificate as PEM to {@code dir/ca.pem}. */
  public Path caPem(Path dir) {
    return write(dir.resolve("ca.pem"), pem(ca));
  }

  /** Writes the server key and chain as PKCS#12 to {@code dir/server.p12}. */
  public Path pkcs12(Path dir, char[] password) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", serverKey.getPrivate(), password,
          new X509Certificate[] {server, ca});
      Path file = dir.resolve("server.p12");
      try (OutputStream out = Files.newOutputStream(file)) {
        store.store(out, password);
      }
      return file;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot write PKCS#12", e);
    }
  }
}
