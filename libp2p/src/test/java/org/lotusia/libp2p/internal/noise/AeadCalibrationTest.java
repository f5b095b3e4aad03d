package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The calibration measured on a simulated clock: trials that cost a known time, with the
 * disturbances of a loaded machine (preemptions that add time at random) and of a JIT that makes a
 * trial faster only after a while.
 */
class AeadCalibrationTest {

  /** A stepped clock: trials advance it by their simulated cost. */
  private static final class FakeClock {
    long now;
  }

  /** A trial costing {@code nanos} per run once "compiled", ten times that for its first runs. */
  private static final class FakeTrial implements AeadCalibration.Trial {
    final String name;
    final long nanos;
    final int slowRuns;
    final FakeClock clock;
    final SplittableRandom noise;
    final double preemptionChance;
    int runs;
    boolean warmed;

    FakeTrial(String name, long nanos, int slowRuns, FakeClock clock, long seed, double chance) {
      this.name = name;
      this.nanos = nanos;
      this.slowRuns = slowRuns;
      this.clock = clock;
      this.noise = new SplittableRandom(seed);
      this.preemptionChance = chance;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void warmUp() {
      warmed = true;
      clock.now += 10 * nanos;
    }

    @Override
    public void run() {
      runs++;
      long cost = runs <= slowRuns ? 10 * nanos : nanos;
      if (noise.nextDouble() < preemptionChance) {
        cost += 4_000_000; // a 4 ms time slice given to another process
      }
      clock.now += cost;
    }

    @Override
    public long bytesPerRun() {
      return 131_038;
    }
  }

  @Test
  void underHeavyPreemptionTheFastestStillWinsWithItsUndisturbedRate() {
    FakeClock clock = new FakeClock();
    FakeTrial nat = new FakeTrial("native", 80_000, 0, clock, 1, 0.6);
    FakeTrial java = new FakeTrial("java", 220_000, 0, clock, 2, 0.6);
    FakeTrial jdk = new FakeTrial("jdk", 500_000, 0, clock, 3, 0.6);
    AeadCalibration.Result r =
        AeadCalibration.run(List.of(jdk, java, nat), () -> clock.now, AeadCalibration.Settings.DEFAULT);
    assertThat(r.winner()).isEqualTo("native");
    assertThat(r.bytesPerSecond().get("native")).isCloseTo(131_038 * 1e9 / 80_000, within(1));
    assertThat(r.bytesPerSecond().get("java")).isCloseTo(131_038 * 1e9 / 220_000, within(1));
    assertThat(r.settled()).isTrue();
    assertThat(List.of(nat, java, jdk)).allMatch(t -> t.warmed);
  }

  @Test
  void aTrialThatSpeedsUpLateIsMeasuredUntilItSettles() {
    // "java" is slower than "jdk" for its first 8 measured runs (as when the JIT compiles it only
    // after the warm-up), then faster.
    FakeClock clock = new FakeClock();
    FakeTrial java = new FakeTrial("java", 200_000, 8, clock, 4, 0.1);
    FakeTrial jdk = new FakeTrial("jdk", 300_000, 0, clock, 5, 0.1);
    AeadCalibration.Result r =
        AeadCalibration.run(List.of(jdk, java), () -> clock.now, AeadCalibration.Settings.DEFAULT);
    assertThat(r.winner()).isEqualTo("java");
    assertThat(r.rounds()).isGreaterThanOrEqualTo(18); // twice the rounds since the last improvement
    assertThat(r.settled()).isTrue();
  }

  @Test
  void measuringStopsAtTheTimeLimitWhateverHappens() {
    FakeClock clock = new FakeClock();
    // Improves by 5 % every run: never settles.
    AeadCalibration.Trial drifting =
        new AeadCalibration.Trial() {
          double cost = 1e9;

          @Override
          public String name() {
            return "drift";
          }

          @Override
          public void warmUp() {}

          @Override
          public void run() {
            cost *= 0.95;
            clock.now += (long) cost + 1;
          }

          @Override
          public long bytesPerRun() {
            return 1;
          }
        };
    AeadCalibration.Settings s =
        new AeadCalibration.Settings(5, Duration.ZERO, Duration.ofSeconds(10), 0.03);
    AeadCalibration.Result r = AeadCalibration.run(List.of(drifting), () -> clock.now, s);
    assertThat(r.settled()).isFalse();
    assertThat(clock.now).isBetween(10_000_000_000L, 12_000_000_000L);
  }

  @Test
  void realTrialsOfEveryAvailableImplementationMeasureAndAgree() {
    List<AeadTrial> trials =
        java.util.Arrays.stream(AeadImplementation.values())
            .filter(AeadImplementation::isAvailable)
            .map(AeadTrial::new)
            .toList();
    AeadCalibration.Settings quick =
        new AeadCalibration.Settings(3, Duration.ZERO, Duration.ofSeconds(2), 0.03);
    AeadCalibration.Result r = AeadCalibration.run(trials, System::nanoTime, quick);
    assertThat(r.bytesPerSecond()).hasSize(trials.size()).allSatisfy((k, v) -> assertThat(v).isPositive());
    assertThat(r.bytesPerSecond()).containsKey(r.winner());
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new AeadCalibration.Settings(0, Duration.ZERO, Duration.ZERO, 0.03))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minRounds >= 1");
    assertThatThrownBy(() -> new AeadCalibration.Settings(1, Duration.ZERO, Duration.ZERO, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("settle must be in (0, 1)");
    assertThatThrownBy(() -> AeadCalibration.run(List.of(), System::nanoTime, AeadCalibration.Settings.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }
}
