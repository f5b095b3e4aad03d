package org.lotusia.libp2p.internal.noise;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which ChaCha20-Poly1305 implementation the Noise cipher states of this process use, chosen by
 * speed on the running machine, never by JDK version alone.
 *
 * <ol>
 *   <li>{@code -D}{@value #PROPERTY}{@code =native|jdk|java} fixes the choice ({@code auto} or unset
 *       lets it be measured). Naming an implementation that is not available (the native library
 *       did not load) fails with the reason.
 *   <li>Otherwise, when more than one implementation is available, {@link AeadCalibration} measures
 *       them on a background daemon thread started by the first use. Until it is done a
 *       provisional choice applies: the native implementation where it loads, else the JDK's from
 *       JDK 21 (intrinsics) and this project's before. Cipher states follow the measured choice
 *       from their next message on ({@link CipherState} re-keys the new implementation; all
 *       implementations produce the same bytes).
 * </ol>
 *
 * <p>A calibration that hits its time limit before its estimates settle (on a machine so loaded
 * that the JIT has not compiled every candidate) is applied and repeated after {@link
 * #RETRY_PAUSE}, up to {@link #ATTEMPTS} times. The final choice is logged once at INFO.
 * Thread-safe: {@link #current()} is one volatile read, cheap enough for every message.
 */
public final class AeadSelection {

  /** The system property that fixes the implementation: {@code native}, {@code jdk}, {@code java} or {@code auto}. */
  public static final String PROPERTY = "lotus.noise.aead";

  private static final Logger LOG = LoggerFactory.getLogger(AeadSelection.class);

  private static volatile AeadSelection global;

  /** How the current implementation was chosen. */
  public enum Basis {
    /** Fixed by {@value #PROPERTY}. */
    PROPERTY,
    /** The only implementation available. */
    ONLY_AVAILABLE,
    /** In use while calibration runs. */
    PROVISIONAL,
    /** Measured fastest on this machine. */
    CALIBRATED,
    /** Calibration failed; the provisional choice stays. */
    CALIBRATION_FAILED
  }

  /**
   * A snapshot of the choice.
   *
   * @param implementation the implementation in use
   * @param basis how it was chosen
   * @param measuredGbps each measured implementation's seal-and-open rate in Gbit/s (empty until
   *     calibrated)
   * @param unavailable why each implementation that cannot be used cannot
   */
  public record Choice(
      AeadImplementation implementation,
      Basis basis,
      Map<AeadImplementation, Double> measuredGbps,
      Map<AeadImplementation, String> unavailable) {

    /** Copies the maps. */
    public Choice {
      measuredGbps = Collections.unmodifiableMap(copy(measuredGbps));
      unavailable = Collections.unmodifiableMap(copy(unavailable));
    }

    private static <V> Map<AeadImplementation, V> copy(Map<AeadImplementation, V> m) {
      return m.isEmpty() ? new EnumMap<>(AeadImplementation.class) : new EnumMap<>(m);
    }

    /** One line for logs and status output. */
    public String describe() {
      StringBuilder b =
          new StringBuilder(implementation.id())
              .append(" (")
              .append(implementation.description())
              .append("), ")
              .append(basis.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
      if (!measuredGbps.isEmpty()) {
        b.append(':');
        measuredGbps.forEach(
            (i, g) -> b.append(' ').append(i.id()).append(String.format(" %.2f", g)));
        b.append(" Gbit/s sealed and opened");
      }
      unavailable.forEach((i, r) -> b.append("; ").append(i.id()).append(" unavailable: ").append(r));
      return b.toString();
    }
  }

  /** Runs a calibration of the given implementations. */
  interface Calibrator {
    Measurement measure(List<AeadImplementation> candidates);
  }

  /**
   * One calibration's outcome.
   *
   * @param bytesPerSecond each candidate's rate
   * @param settled false when the time limit ended it before the estimates settled (on a machine
   *     so loaded that the JIT had not compiled every candidate yet, for example)
   */
  record Measurement(Map<AeadImplementation, Double> bytesPerSecond, boolean settled) {}

  /** Calibrations tried at most when they do not settle. */
  static final int ATTEMPTS = 3;

  /** The pause before an unsettled calibration is tried again. */
  static final java.time.Duration RETRY_PAUSE = java.time.Duration.ofSeconds(30);

  private final CompletableFuture<Choice> settled = new CompletableFuture<>();
  private volatile Choice choice;

  private AeadSelection(Choice initial) {
    this.choice = initial;
  }

  /**
   * The process-wide selection, created (and its calibration started) by the first call.
   *
   * @throws IllegalArgumentException if {@value #PROPERTY} has a value other than those accepted
   * @throws IllegalStateException if it names an implementation that is not available
   */
  public static AeadSelection global() {
    AeadSelection s = global;
    if (s == null) {
      synchronized (AeadSelection.class) {
        s = global;
        if (s == null) {
          s =
              start(
                  System.getProperty(PROPERTY),
                  AeadImplementation::unavailableReason,
                  Runtime.version().feature(),
                  AeadSelection::calibrate,
                  r -> {
                    Thread t = new Thread(r, "lotus-noise-aead-calibration");
                    t.setDaemon(true);
                    t.setPriority(Thread.MIN_PRIORITY);
                    t.start();
                  });
          global = s;
        }
      }
    }
    return s;
  }

  /**
   * A selection from the given inputs; the I/O-free core of {@link #global()}, for tests.
   *
   * @param property the value of {@value #PROPERTY}, or null
   * @param availability why an implementation is unavailable, or empty
   * @param jdkFeature the JDK feature release (for the provisional choice only)
   * @param calibrator measures candidates
   * @param background runs the calibration
   */
  static AeadSelection start(
      String property,
      Function<AeadImplementation, Optional<String>> availability,
      int jdkFeature,
      Calibrator calibrator,
      java.util.function.Consumer<Runnable> background) {
    return start(property, availability, jdkFeature, calibrator, background, AeadSelection::pause);
  }

  /**
   * As {@link #start(String, Function, int, Calibrator, java.util.function.Consumer)}, with the
   * pause between unsettled calibrations handed in (tests do not wait).
   */
  static AeadSelection start(
      String property,
      Function<AeadImplementation, Optional<String>> availability,
      int jdkFeature,
      Calibrator calibrator,
      java.util.function.Consumer<Runnable> background,
      Runnable pause) {
    Map<AeadImplementation, String> unavailable = new EnumMap<>(AeadImplementation.class);
    List<AeadImplementation> available = new ArrayList<>();
    boolean fixed = property != null && !property.isBlank() && !property.trim().equalsIgnoreCase("auto");
    AeadImplementation wanted = null;
    if (fixed) {
      try {
        wanted = AeadImplementation.fromId(property);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            PROPERTY + " must be native, jdk, java or auto, got '" + property + "'", e);
      }
    }
    for (AeadImplementation i : AeadImplementation.values()) {
      if (fixed && i != wanted) {
        continue; // do not even load a library that was not asked for
      }
      Optional<String> reason = availability.apply(i);
      if (reason.isPresent()) {
        unavailable.put(i, reason.get());
      } else {
        available.add(i);
      }
    }
    if (fixed) {
      if (!available.contains(wanted)) {
        throw new IllegalStateException(
            PROPERTY + "=" + wanted.id() + " but that implementation is not available: "
                + unavailable.get(wanted));
      }
      AeadSelection s = new AeadSelection(new Choice(wanted, Basis.PROPERTY, Map.of(), unavailable));
      s.settle(s.choice);
      return s;
    }
    if (available.size() == 1) {
      AeadSelection s =
          new AeadSelection(new Choice(available.get(0), Basis.ONLY_AVAILABLE, Map.of(), unavailable));
      s.settle(s.choice);
      return s;
    }
    AeadImplementation provisional =
        available.contains(AeadImplementation.NATIVE)
            ? AeadImplementation.NATIVE
            : jdkFeature >= 21 ? AeadImplementation.JDK : AeadImplementation.JAVA;
    AeadSelection s =
        new AeadSelection(new Choice(provisional, Basis.PROVISIONAL, Map.of(), unavailable));
    background.accept(() -> s.calibrate(calibrator, available, unavailable, pause));
    return s;
  }

  /**
   * Measures, and measures again after a pause when the estimates did not settle, up to {@link
   * #ATTEMPTS} times; each attempt's winner applies at once, the last one is final. Runs on the
   * calibration thread, which the pause blocks (it is a daemon thread of its own).
   */
  private void calibrate(
      Calibrator calibrator,
      List<AeadImplementation> candidates,
      Map<AeadImplementation, String> unavailable,
      Runnable pause) {
    Choice result = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Measurement m;
      try {
        m = calibrator.measure(candidates);
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("Noise cipher calibration failed; keeping {}", choice.implementation().id(), e);
        if (result == null) {
          // Nothing measured yet: the provisional choice stays. After an unsettled attempt its
          // (rough) measurement stays instead, since it is still better than none.
          result =
              new Choice(choice.implementation(), Basis.CALIBRATION_FAILED, Map.of(), unavailable);
        }
        break;
      }
      AeadImplementation best = choice.implementation();
      double top = -1;
      Map<AeadImplementation, Double> gbps = new EnumMap<>(AeadImplementation.class);
      for (Map.Entry<AeadImplementation, Double> e : m.bytesPerSecond().entrySet()) {
        gbps.put(e.getKey(), e.getValue() * 8 / 1e9);
        if (e.getValue() > top) {
          top = e.getValue();
          best = e.getKey();
        }
      }
      result = new Choice(best, Basis.CALIBRATED, gbps, unavailable);
      choice = result;
      if (m.settled() || attempt == ATTEMPTS) {
        break;
      }
      LOG.debug("Noise cipher calibration {} did not settle; measuring again later", attempt);
      pause.run();
    }
    choice = result;
    settle(result);
  }

  private static void pause() {
    try {
      Thread.sleep(RETRY_PAUSE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void settle(Choice c) {
    LOG.info("Noise ChaCha20-Poly1305: {}", c.describe());
    settled.complete(c);
  }

  /** The implementation new messages use now. */
  public AeadImplementation current() {
    return choice.implementation();
  }

  /** The choice now (possibly provisional). */
  public Choice choice() {
    return choice;
  }

  /**
   * Completes, on the calibration thread or at once, with the final choice. Never fails: a failed
   * calibration completes it with {@link Basis#CALIBRATION_FAILED}.
   */
  public CompletableFuture<Choice> settled() {
    return settled.thenApply(c -> c);
  }

  /** The real calibrator: {@link AeadTrial}s measured with {@link AeadCalibration}. */
  private static Measurement calibrate(List<AeadImplementation> candidates) {
    List<AeadTrial> trials = candidates.stream().map(AeadTrial::new).toList();
    AeadCalibration.Result r =
        AeadCalibration.run(trials, System::nanoTime, AeadCalibration.Settings.DEFAULT);
    Map<AeadImplementation, Double> out = new EnumMap<>(AeadImplementation.class);
    r.bytesPerSecond().forEach((name, rate) -> out.put(AeadImplementation.fromId(name), rate));
    LOG.debug("Noise cipher calibration: {} rounds, settled {}", r.rounds(), r.settled());
    return new Measurement(out, r.settled());
  }
}
