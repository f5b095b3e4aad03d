package org.lotusia.chain.crypto;

import fr.acinq.secp256k1.Secp256k1;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link LibSecp256k1} on ACINQ's secp256k1-kmp JNI binding (bitcoin-core's libsecp256k1 built for
 * Linux x86-64 and AArch64, macOS x86-64 and AArch64, Windows x86-64). The only class that names
 * the binding: loading it where the jar is missing fails with {@link NoClassDefFoundError}, which
 * {@link NativeSecp256k1} reports as the reason native code is unavailable.
 *
 * <p>The binding extracts its library to {@code java.io.tmpdir} (or {@code
 * fr.acinq.secp256k1.tmpdir}) once per process and shares one libsecp256k1 context, created for
 * signing and verification, between all threads. Thread-safe.
 */
final class AcinqLibSecp256k1 implements LibSecp256k1 {

  private static final Pattern VERSION = Pattern.compile("secp256k1-kmp[a-z-]*-(\\d[^/]*?)\\.jar");

  private final Secp256k1 lib;
  private final String description;

  private AcinqLibSecp256k1(Secp256k1 lib, String description) {
    this.lib = lib;
    this.description = description;
  }

  /**
   * Loads the native library (through the binding's own loader, which picks the Android or the JVM
   * one).
   *
   * @throws Throwable whatever the binding throws when the library cannot load
   *     (UnsatisfiedLinkError, IllegalStateException, NoClassDefFoundError...)
   */
  static AcinqLibSecp256k1 load() {
    Secp256k1 lib = Secp256k1.get();
    return new AcinqLibSecp256k1(lib, "libsecp256k1 (ACINQ secp256k1-kmp " + version() + ")");
  }

  /**
   * The binding's version, read from its jar name, else (in a shaded jar) the version this module
   * was built with, else "unknown version".
   */
  private static String version() {
    try {
      String where =
          Secp256k1.class.getProtectionDomain().getCodeSource().getLocation().toString();
      Matcher m = VERSION.matcher(where);
      if (m.find()) {
        return m.group(1);
      }
    } catch (RuntimeException e) { // no code source (custom class loader), security manager
      // fall through to the build-time version
    }
    try (java.io.InputStream in =
        AcinqLibSecp256k1.class.getResourceAsStream("secp256k1-kmp.properties")) {
      if (in != null) {
        java.util.Properties p = new java.util.Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.startsWith("$")) {
          return v;
        }
      }
    } catch (java.io.IOException e) {
      // fall through
    }
    return "unknown version";
  }

  @Override
  public byte[] pubkeyCreate(byte[] secretKey32) {
    return lib.pubkeyCreate(secretKey32);
  }

  @Override
  public byte[] pubkeyParse(byte[] encoded) {
    return lib.pubkeyParse(encoded);
  }

  @Override
  public byte[] pubkeyTweakMul(byte[] point, byte[] tweak32) {
    return lib.pubKeyTweakMul(point, tweak32);
  }

  @Override
  public byte[] pubkeyCombine(byte[][] points) {
    return lib.pubKeyCombine(points);
  }

  @Override
  public byte[] ecdsaRecover(byte[] compactSignature64, byte[] digest32, int recoveryId) {
    return lib.ecdsaRecover(compactSignature64, digest32, recoveryId);
  }

  @Override
  public byte[] ecdsaSign(byte[] digest32, byte[] secretKey32) {
    return lib.sign(digest32, secretKey32);
  }

  @Override
  public boolean ecdsaVerify(byte[] compactSignature64, byte[] digest32, byte[] point) {
    return lib.verify(compactSignature64, digest32, point);
  }

  @Override
  public String description() {
    return description;
  }
}
