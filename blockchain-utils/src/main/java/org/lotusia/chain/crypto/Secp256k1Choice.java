package org.lotusia.chain.crypto;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which secp256k1 implementation {@link Secp256k1#defaultProvider()} is, and why; from {@link
 * Secp256k1#defaultProviderChoice()}. Immutable.
 *
 * @param implementation {@code native} (libsecp256k1) or {@code bouncycastle}
 * @param description library and version of the implementation
 * @param basis {@code property} (fixed by {@value Secp256k1#PROVIDER_PROPERTY}) or {@code auto}
 *     (native where it loads, else BouncyCastle)
 * @param unavailable why each implementation that was tried and cannot load cannot (empty when
 *     nothing failed)
 */
public record Secp256k1Choice(
    String implementation, String description, String basis, Map<String, String> unavailable) {

  /** The id of the libsecp256k1 implementation, as the property names it. */
  public static final String NATIVE = "native";

  /** The id of the BouncyCastle implementation, as the property names it. */
  public static final String BOUNCYCASTLE = "bouncycastle";

  /** Copies the map. */
  public Secp256k1Choice {
    unavailable = Map.copyOf(unavailable);
  }

  /** One line for logs and status output. */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(implementation)
            .append(" (")
            .append(description)
            .append("), ")
            .append(basis);
    new TreeMap<>(unavailable)
        .forEach((k, v) -> b.append("; ").append(k).append(" unavailable: ").append(v));
    return b.toString();
  }
}
