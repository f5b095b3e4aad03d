package org.lotusia.libp2p;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.lotusia.libp2p.internal.noise.AeadSelection;

/**
 * Which ChaCha20-Poly1305 implementation encrypts this process's Noise connections, and why. One
 * choice per process: the fastest implementation measured on the running machine (a calibration
 * of about a second on a background thread, started by the first host), unless the system property
 * {@code lotus.noise.aead} ({@code native}, {@code jdk}, {@code java} or {@code auto}) fixes it.
 *
 * @param implementation {@code native} (BoringSSL through Conscrypt), {@code jdk} (the JDK's
 *     cipher) or {@code java} (the library's own plain-Java code)
 * @param description library and version of the implementation
 * @param basis {@code property}, {@code only available}, {@code provisional} (calibration still
 *     running), {@code calibrated} or {@code calibration failed}
 * @param measuredGbps each calibrated implementation's rate, sealing and opening 64 KiB messages on
 *     one thread, in Gbit/s (empty unless calibrated)
 * @param unavailable why each implementation that cannot load cannot
 */
public record NoiseCipher(
    String implementation,
    String description,
    String basis,
    Map<String, Double> measuredGbps,
    Map<String, String> unavailable) {

  /** Copies the maps. */
  public NoiseCipher {
    measuredGbps = Map.copyOf(measuredGbps);
    unavailable = Map.copyOf(unavailable);
  }

  /**
   * The choice now; {@code basis} is {@code provisional} while calibration runs.
   *
   * @throws IllegalArgumentException if {@code lotus.noise.aead} has an unknown value
   * @throws IllegalStateException if it names an implementation that is not available
   */
  public static NoiseCipher current() {
    return of(AeadSelection.global().choice());
  }

  /**
   * Completes with the final choice once calibration is done (at once when nothing needs
   * measuring); never fails. Completes on the calibration thread: do not block in a dependent
   * stage.
   */
  public static CompletableFuture<NoiseCipher> settled() {
    return AeadSelection.global().settled().thenApply(NoiseCipher::of);
  }

  private static NoiseCipher of(AeadSelection.Choice c) {
    return new NoiseCipher(
        c.implementation().id(),
        c.implementation().description(),
        c.basis().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '),
        c.measuredGbps().entrySet().stream()
            .collect(Collectors.toMap(e -> e.getKey().id(), Map.Entry::getValue)),
        c.unavailable().entrySet().stream()
            .collect(Collectors.toMap(e -> e.getKey().id(), Map.Entry::getValue)));
  }

  /** One line for logs and status output. */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(implementation).append(" (").append(description).append("), ").append(basis);
    if (!measuredGbps.isEmpty()) {
      b.append(':');
      new java.util.TreeMap<>(measuredGbps)
          .forEach((k, v) -> b.append(' ').append(k).append(String.format(" %.2f", v)));
      b.append(" Gbit/s");
    }
    new java.util.TreeMap<>(unavailable).forEach((k, v) -> b.append("; ").append(k).append(" unavailable: ").append(v));
    return b.toString();
  }
}
