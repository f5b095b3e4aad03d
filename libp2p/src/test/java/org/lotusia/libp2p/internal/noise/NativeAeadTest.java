package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.security.Provider;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Loading the native ChaCha20-Poly1305 and falling back where it does not load. */
class NativeAeadTest {

  @Test
  void loadsOnThePlatformsConscryptShipsALibraryFor() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch");
    assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
        "checked on Linux x86-64 only");
    assertThat(AeadImplementation.NATIVE.unavailableReason()).isEmpty();
    assertThat(AeadImplementation.NATIVE.description()).startsWith("Conscrypt 2.").endsWith("(BoringSSL)");
  }

  @Test
  void aLibraryThatFailsToLoadIsReportedNotThrown() {
    NativeAead.Loaded l =
        NativeAead.probe(
            () -> {
              throw new UnsatisfiedLinkError("no conscrypt_openjdk_jni in java.library.path");
            });
    assertThat(l.ciphers()).isNull();
    assertThat(l.failure()).isEqualTo("UnsatisfiedLinkError: no conscrypt_openjdk_jni in java.library.path");
  }

  @Test
  void aProviderWithoutTheCipherIsRefused() {
    Provider empty = new Provider("Empty", "1", "offers nothing") {};
    NativeAead.Loaded l = NativeAead.probe(() -> new NativeAead.Named(empty, "empty"));
    assertThat(l.failure()).contains("NoSuchAlgorithmException");
  }

  @Test
  void aProviderThatComputesWrongBytesIsRefusedBySelfTest() {
    // The JDK's provider run through a key that swaps the key bytes: wrong output, so refused.
    AeadKey wrong =
        new AeadKey() {
          final AeadKey inner = AeadImplementation.JDK.newKey(new byte[32]);

          @Override
          AeadImplementation implementation() {
            return AeadImplementation.NATIVE;
          }

          @Override
          int seal(long n, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
            return inner.seal(n, ad, in, inOff, len, out, outOff);
          }

          @Override
          int open(long n, byte[] ad, byte[] in, int inOff, int len, byte[] out, int outOff) {
            return inner.open(n, ad, in, inOff, len, out, outOff);
          }

          @Override
          void destroy() {}
        };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> NativeAead.selfTest(wrong))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("self-test: ciphertext differs");
  }

  @Test
  void withoutTheNativeLibraryTheChoiceFallsBackToJavaImplementations() {
    AeadSelection s =
        AeadSelection.start(
            null,
            i -> i == AeadImplementation.NATIVE
                ? java.util.Optional.of("UnsatisfiedLinkError: not on this platform")
                : java.util.Optional.empty(),
            Runtime.version().feature(),
            candidates -> {
              assertThat(candidates).containsExactly(AeadImplementation.JDK, AeadImplementation.JAVA);
              return new AeadSelection.Measurement(
                  java.util.Map.of(AeadImplementation.JDK, 1.0, AeadImplementation.JAVA, 2.0), true);
            },
            Runnable::run);
    assertThat(s.current()).isEqualTo(AeadImplementation.JAVA);
    assertThat(s.choice().unavailable()).containsKey(AeadImplementation.NATIVE);
    // The handshake and transport work on the fallback: a full Noise exchange on this selection.
    CipherState a = new CipherState(s, new byte[32]);
    CipherState b = new CipherState(AeadImplementation.JDK, new byte[32]);
    byte[] ct = a.encryptWithAd(new byte[0], "fallback".getBytes());
    assertThat(new String(b.decryptWithAd(new byte[0], ct))).isEqualTo("fallback");
  }
}
