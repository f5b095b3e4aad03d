package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The calibration thread is process-wide rather than owned by a host, so closing a host does not
 * end it; it must therefore never hold a program back: it is a named daemon thread, and an
 * interrupt (what {@code mvn exec:java} sends the threads of a program it ends) stops it during its
 * pause between unsettled measurements, keeping the last measurement.
 */
class AeadCalibrationThreadTest {

  @Test
  void anInterruptDuringThePauseEndsTheCalibrationWithTheLastMeasurement() throws Exception {
    AtomicInteger measured = new AtomicInteger();
    CountDownLatch firstMeasured = new CountDownLatch(1);
    AeadSelection.Calibrator unsettled =
        candidates -> {
          measured.incrementAndGet();
          firstMeasured.countDown();
          return new AeadSelection.Measurement(
              Map.of(AeadImplementation.JDK, 1e8, AeadImplementation.JAVA, 3e8), false);
        };
    AtomicReference<Thread> calibration = new AtomicReference<>();
    AeadSelection s =
        AeadSelection.start(
            null,
            i -> i == AeadImplementation.NATIVE ? Optional.of("not here") : Optional.empty(),
            17,
            unsettled,
            r -> {
              // as global() starts it
              Thread t = new Thread(r, "lotus-noise-aead-calibration");
              t.setDaemon(true);
              calibration.set(t);
              t.start();
            },
            AeadSelection::pause); // the real 30-second pause
    Thread t = calibration.get();
    assertThat(t.isDaemon()).isTrue();
    assertThat(t.getName()).startsWith("lotus-");
    assertThat(firstMeasured.await(30, TimeUnit.SECONDS)).isTrue();
    t.interrupt(); // in the pause (or just before it: the sleep then ends at once)
    t.join(TimeUnit.SECONDS.toMillis(20)); // far below the 30-second pause
    assertThat(t.isAlive()).as("calibration thread still running after an interrupt").isFalse();
    assertThat(measured.get()).as("no measurement after the interrupt").isEqualTo(1);
    AeadSelection.Choice c = s.settled().get(5, TimeUnit.SECONDS);
    assertThat(c.basis()).isEqualTo(AeadSelection.Basis.CALIBRATED);
    assertThat(c.implementation()).isEqualTo(AeadImplementation.JAVA);
    assertThat(List.copyOf(c.measuredGbps().keySet()))
        .containsExactlyInAnyOrder(AeadImplementation.JDK, AeadImplementation.JAVA);
  }
}
