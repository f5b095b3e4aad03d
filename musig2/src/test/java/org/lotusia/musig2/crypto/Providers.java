package org.lotusia.musig2.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lotusia.chain.crypto.BouncyCastleSecp256k1;
import org.lotusia.chain.crypto.NativeSecp256k1;
import org.lotusia.chain.crypto.Secp256k1Provider;

/**
 * Every secp256k1 provider that can be selected on this platform: BouncyCastle, and libsecp256k1,
 * which must load on Linux x86-64 (CI runs there) and is included elsewhere when it loads.
 */
final class Providers {

  private Providers() {}

  static List<Secp256k1Provider> all() {
    List<Secp256k1Provider> all = new ArrayList<>();
    all.add(BouncyCastleSecp256k1.instance());
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
      assertThat(NativeSecp256k1.unavailableReason()).as("native secp256k1 on Linux x86-64").isEmpty();
    }
    if (NativeSecp256k1.isAvailable()) {
      all.add(NativeSecp256k1.instance());
    }
    return all;
  }
}
