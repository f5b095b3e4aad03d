package org.lotusia.chain.crypto;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The process-wide choice of the default {@link Secp256k1Provider}: the system property {@value
 * #PROPERTY} ({@code native}, {@code bouncycastle}, or {@code auto}, the default: native where it
 * loads, else BouncyCastle). Made once, on first use; an invalid property is remembered too, so
 * every later call fails with the same reason (never with a class-initialisation error).
 * Thread-safe.
 */
final class ProviderSelection {

  static final String PROPERTY = "lotus.secp256k1";

  private static volatile ProviderSelection global;

  private final Secp256k1Provider provider;
  private final Secp256k1Choice choice;
  private final RuntimeException failure;

  private ProviderSelection(
      Secp256k1Provider provider, Secp256k1Choice choice, RuntimeException failure) {
    this.provider = provider;
    this.choice = choice;
    this.failure = failure;
  }

  static ProviderSelection global() {
    ProviderSelection s = global;
    if (s == null) {
      synchronized (ProviderSelection.class) {
        s = global;
        if (s == null) {
          s = select(System.getProperty(PROPERTY), NativeSecp256k1::load);
          global = s;
        }
      }
    }
    return s;
  }

  /**
   * Chooses for a property value (null when unset); {@code nativeLoad} is asked only when native is
   * wanted or may be, so {@code bouncycastle} never loads native code.
   */
  static ProviderSelection select(String value, Supplier<NativeSecp256k1.Loaded> nativeLoad) {
    String v = value == null ? "auto" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case Secp256k1Choice.BOUNCYCASTLE:
        return bouncyCastle("property", Map.of());
      case Secp256k1Choice.NATIVE:
      case "auto":
        NativeSecp256k1.Loaded l = nativeLoad.get();
        String basis = v.equals("auto") ? "auto" : "property";
        if (l.provider() != null) {
          return new ProviderSelection(
              l.provider(),
              new Secp256k1Choice(
                  Secp256k1Choice.NATIVE, l.provider().description(), basis, Map.of()),
              null);
        }
        if (v.equals("auto")) {
          return bouncyCastle(basis, Map.of(Secp256k1Choice.NATIVE, l.failure()));
        }
        return failed(
            new IllegalStateException(
                PROPERTY + "=native, but the native secp256k1 library is not available: "
                    + l.failure()));
      default:
        return failed(
            new IllegalArgumentException(
                PROPERTY + "=" + value + " is not one of native, bouncycastle, auto"));
    }
  }

  private static ProviderSelection bouncyCastle(String basis, Map<String, String> unavailable) {
    return new ProviderSelection(
        BouncyCastleSecp256k1.INSTANCE,
        new Secp256k1Choice(
            Secp256k1Choice.BOUNCYCASTLE, BouncyCastleSecp256k1.description(), basis, unavailable),
        null);
  }

  private static ProviderSelection failed(RuntimeException e) {
    return new ProviderSelection(null, null, e);
  }

  Secp256k1Provider provider() {
    rethrow();
    return provider;
  }

  Secp256k1Choice choice() {
    rethrow();
    return choice;
  }

  private void rethrow() {
    if (failure instanceof IllegalArgumentException) {
      throw new IllegalArgumentException(failure.getMessage(), failure);
    }
    if (failure != null) {
      throw new IllegalStateException(failure.getMessage(), failure);
    }
  }
}
