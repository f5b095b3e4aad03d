package org.lotusia.libp2p.internal.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.NoiseCipher;

/** How the ChaCha20-Poly1305 implementation is chosen: property, availability, calibration. */
class AeadSelectionTest {

  private static final Function<AeadImplementation, Optional<String>> ALL = i -> Optional.empty();
  private static final Function<AeadImplementation, Optional<String>> NO_NATIVE =
      i -> i == AeadImplementation.NATIVE ? Optional.of("no library here") : Optional.empty();

  private final List<Runnable> background = new ArrayList<>();

  private static AeadSelection.Calibrator rates(double nat, double jdk, double java) {
    return candidates -> {
      Map<AeadImplementation, Double> m = new java.util.EnumMap<>(AeadImplementation.class);
      for (AeadImplementation c : candidates) {
        m.put(c, switch (c) {
          case NATIVE -> nat;
          case JDK -> jdk;
          case JAVA -> java;
        });
      }
      return new AeadSelection.Measurement(m, true);
    };
  }

  @Test
  void calibrationPicksTheFastestEvenWhereTheJdkVersionRuleWouldNot() {
    // The AMD EPYC case: JDK 25 would have taken the JDK cipher, the project's own is faster.
    AeadSelection s =
        AeadSelection.start(null, NO_NATIVE, 25, rates(0, 2.95e9 / 8, 4.04e9 / 8), background::add);
    assertThat(s.choice().basis()).isEqualTo(AeadSelection.Basis.PROVISIONAL);
    assertThat(s.current()).isEqualTo(AeadImplementation.JDK);
    assertThat(s.settled()).isNotDone();
    background.forEach(Runnable::run);
    assertThat(s.current()).isEqualTo(AeadImplementation.JAVA);
    AeadSelection.Choice c = s.settled().join();
    assertThat(c.basis()).isEqualTo(AeadSelection.Basis.CALIBRATED);
    assertThat(c.measuredGbps()).containsOnlyKeys(AeadImplementation.JDK, AeadImplementation.JAVA);
    assertThat(c.measuredGbps().get(AeadImplementation.JAVA)).isCloseTo(4.04, within());
    assertThat(c.unavailable()).containsEntry(AeadImplementation.NATIVE, "no library here");
    assertThat(c.describe()).contains("java", "calibrated", "native unavailable: no library here");
  }

  @Test
  void nativeIsProvisionalWhereItLoadsAndStaysWhenFastest() {
    AeadSelection s = AeadSelection.start("auto", ALL, 17, rates(11e9, 1e9, 3e9), background::add);
    assertThat(s.current()).isEqualTo(AeadImplementation.NATIVE);
    background.forEach(Runnable::run);
    assertThat(s.current()).isEqualTo(AeadImplementation.NATIVE);
    assertThat(s.choice().measuredGbps()).hasSize(3);
  }

  @Test
  void theJdkCipherWinsWhereItIsFastest() {
    // The Intel AVX-512 case: JDK 25's intrinsic beats everything else.
    AeadSelection s = AeadSelection.start(null, ALL, 25, rates(2.0e9, 2.6e9, 0.7e9), background::add);
    background.forEach(Runnable::run);
    assertThat(s.current()).isEqualTo(AeadImplementation.JDK);
  }

  @Test
  void anUnsettledCalibrationIsRepeatedAfterAPauseAndTheLastOneDecides() {
    // Under heavy load the JIT may not have compiled the Java code within the first measurement.
    List<AeadSelection.Measurement> answers =
        new ArrayList<>(
            List.of(
                new AeadSelection.Measurement(
                    Map.of(AeadImplementation.JDK, 0.44e9 / 8, AeadImplementation.JAVA, 0.09e9 / 8),
                    false),
                new AeadSelection.Measurement(
                    Map.of(AeadImplementation.JDK, 1.4e9 / 8, AeadImplementation.JAVA, 3.1e9 / 8),
                    true)));
    int[] pauses = {0};
    AeadSelection s =
        AeadSelection.start(
            null, NO_NATIVE, 17, c -> answers.remove(0), background::add, () -> pauses[0]++);
    background.forEach(Runnable::run);
    assertThat(pauses[0]).isEqualTo(1);
    assertThat(s.current()).isEqualTo(AeadImplementation.JAVA);
    assertThat(s.settled().join().measuredGbps().get(AeadImplementation.JAVA)).isCloseTo(3.1, within());
  }

  @Test
  void calibrationGivesUpAfterThreeUnsettledAttemptsKeepingTheLast() {
    int[] calls = {0};
    AeadSelection s =
        AeadSelection.start(
            null,
            NO_NATIVE,
            17,
            c -> {
              calls[0]++;
              return new AeadSelection.Measurement(
                  Map.of(AeadImplementation.JDK, 2.0, AeadImplementation.JAVA, 1.0), false);
            },
            background::add,
            () -> {});
    background.forEach(Runnable::run);
    assertThat(calls[0]).isEqualTo(AeadSelection.ATTEMPTS);
    assertThat(s.current()).isEqualTo(AeadImplementation.JDK);
    assertThat(s.settled()).isDone();
  }

  @Test
  void aCalibrationFailingAfterAnUnsettledOneKeepsTheFirstMeasurement() {
    int[] calls = {0};
    AeadSelection s =
        AeadSelection.start(
            null,
            NO_NATIVE,
            17,
            c -> {
              if (calls[0]++ == 0) {
                return new AeadSelection.Measurement(
                    Map.of(AeadImplementation.JDK, 2.0, AeadImplementation.JAVA, 1.0), false);
              }
              throw new IllegalStateException("cipher broke");
            },
            background::add,
            () -> {});
    background.forEach(Runnable::run);
    assertThat(calls[0]).isEqualTo(2);
    assertThat(s.current()).isEqualTo(AeadImplementation.JDK);
    assertThat(s.settled().join().basis()).isEqualTo(AeadSelection.Basis.CALIBRATED);
  }

  @Test
  void thePropertyFixesTheChoiceWithoutMeasuringOrLoadingOthers() {
    List<AeadImplementation> probed = new ArrayList<>();
    AeadSelection s =
        AeadSelection.start(
            " JAVA ",
            i -> {
              probed.add(i);
              return Optional.empty();
            },
            25,
            c -> {
              throw new AssertionError("no calibration when the property decides");
            },
            background::add);
    assertThat(background).isEmpty();
    assertThat(probed).containsExactly(AeadImplementation.JAVA);
    assertThat(s.current()).isEqualTo(AeadImplementation.JAVA);
    assertThat(s.settled().join().basis()).isEqualTo(AeadSelection.Basis.PROPERTY);
  }

  @Test
  void aPropertyNamingAnUnavailableOrUnknownImplementationFailsWithTheReason() {
    assertThatThrownBy(() -> AeadSelection.start("native", NO_NATIVE, 17, rates(1, 1, 1), background::add))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lotus.noise.aead=native")
        .hasMessageContaining("no library here");
    assertThatThrownBy(() -> AeadSelection.start("bouncycastle", ALL, 17, rates(1, 1, 1), background::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be native, jdk, java or auto, got 'bouncycastle'");
  }

  @Test
  void aFailedCalibrationKeepsTheProvisionalChoiceAndStillSettles() {
    AeadSelection s =
        AeadSelection.start(
            null,
            NO_NATIVE,
            17,
            c -> {
              throw new IllegalStateException("cipher broke");
            },
            background::add);
    background.forEach(Runnable::run);
    assertThat(s.current()).isEqualTo(AeadImplementation.JAVA);
    assertThat(s.settled().join().basis()).isEqualTo(AeadSelection.Basis.CALIBRATION_FAILED);
  }

  @Test
  void aCipherStateFollowsTheChoiceFromItsNextMessage() {
    AeadSelection s =
        AeadSelection.start(null, NO_NATIVE, 25, rates(0, 1e9, 2e9), background::add);
    CipherState sender = new CipherState(s, key());
    CipherState receiver = new CipherState(AeadImplementation.JAVA, key());
    byte[] first = sender.encryptWithAd(new byte[0], new byte[] {1});
    assertThat(sender.implementation()).isEqualTo(AeadImplementation.JDK);
    background.forEach(Runnable::run); // calibration switches to java
    byte[] second = sender.encryptWithAd(new byte[0], new byte[] {2});
    assertThat(sender.implementation()).isEqualTo(AeadImplementation.JAVA);
    assertThat(receiver.decryptWithAd(new byte[0], first)).containsExactly(1);
    assertThat(receiver.decryptWithAd(new byte[0], second)).containsExactly(2);
    assertThat(sender.nonce()).isEqualTo(2);
  }

  @Test
  void theProcessWideChoiceIsReportedThroughThePublicApi() {
    NoiseCipher now = NoiseCipher.current();
    assertThat(now.implementation()).isEqualTo(AeadSelection.global().current().id());
    // Up to three calibrations of at most 5 s with 30 s pauses when a loaded machine keeps them
    // from settling: allow well over that.
    NoiseCipher settled =
        NoiseCipher.settled().orTimeout(240, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(settled.basis()).isIn("calibrated", "property", "only available");
    assertThat(settled.toString()).startsWith(settled.implementation() + " (");
    if (settled.basis().equals("calibrated")) {
      assertThat(settled.measuredGbps()).containsKey(settled.implementation());
      double best = settled.measuredGbps().values().stream().mapToDouble(d -> d).max().orElseThrow();
      assertThat(settled.measuredGbps().get(settled.implementation())).isEqualTo(best);
    }
  }

  private static byte[] key() {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) 4);
    return k;
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
