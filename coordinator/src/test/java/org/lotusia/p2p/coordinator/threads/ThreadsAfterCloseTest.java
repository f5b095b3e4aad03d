package org.lotusia.p2p.coordinator.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every thread the SDK starts is named {@code lotus-...}, and none is left once the coordinators
 * are stopped and closed, so a program that closes what it opened ends at once, also under
 * launchers that wait for all of a program's threads ({@code mvn exec:java}). The scenario runs in a
 * fresh JVM ({@link ThreadsAfterCloseMain}) so that no other test's threads, and no JDK thread
 * started earlier by other code, hide or cause a leftover.
 */
class ThreadsAfterCloseTest {

  @Test
  void closingEveryNodeLeavesNoThreadBehind(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("scenario.log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                // Noise's cipher calibration is process-wide, not a node's: it can outlive close() by
                // its retry pause on a loaded machine. AeadCalibrationThreadTest proves it is a named
                // daemon that an interrupt ends; here the cipher is fixed so it does not start.
                "-Dlotus.noise.aead=java",
                ThreadsAfterCloseMain.class.getName(),
                "30")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      // generous on a loaded machine: the scenario needs a few seconds, the thread wait up to 30
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the scenario JVM ended").isTrue();
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("scenario output:%n%s", out).isZero();
    List<String> started = field(out, "started: ");
    assertThat(started).as("threads while running").isNotEmpty();
    assertThat(started)
        .as("every SDK thread is named lotus-...")
        .allSatisfy(n -> assertThat(n).startsWith("lotus-"));
    assertThat(field(out, "left: ")).as("threads left after close (output:%n%s)", out).isEmpty();
  }

  private static List<String> field(String out, String prefix) throws IOException {
    String line =
        out.lines()
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElseThrow(() -> new IOException("no line " + prefix + " in:\n" + out));
    String v = line.substring(prefix.length()).trim();
    return v.isEmpty() ? List.of() : Arrays.asList(v.split(","));
  }
}
