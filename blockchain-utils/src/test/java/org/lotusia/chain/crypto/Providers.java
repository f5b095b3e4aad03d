package org.lotusia.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every secp256k1 provider that can be selected on this platform, for tests that must give the
 * same results on each. On Linux x86-64 the native one must load (CI runs there); elsewhere it is
 * included when it loads.
 */
final class Providers {

  private Providers() {}

  /** True on the platform where the native library is required to load. */
  static boolean nativeRequired() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /** BouncyCastle, and libsecp256k1 where it loads (required on Linux x86-64). */
  static List<Secp256k1Provider> all() {
    List<Secp256k1Provider> all = new ArrayList<>();
    all.add(BouncyCastleSecp256k1.instance());
    if (nativeRequired()) {
      assertThat(NativeSecp256k1.unavailableReason()).as("native secp256k1 on Linux x86-64").isEmpty();
    }
    if (NativeSecp256k1.isAvailable()) {
      all.add(NativeSecp256k1.instance());
    }
    return all;
  }
}
