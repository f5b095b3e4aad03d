package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the repository's {@code lotus-p2p} launcher script, as a person would. */
final class Launcher {

  private Launcher() {}

  /** The launcher (the failsafe configuration names it). */
  static Path path() {
    String p = System.getProperty("lotus.launcher");
    // failsafe sets it, in the integration-test phase after package built the jar; a surefire run
    // selecting these classes by name (-Dtest=...) has no jar to launch yet
    org.junit.jupiter.api.Assumptions.assumeTrue(
        p != null, "end-to-end tests run in the integration-test phase (failsafe), after the jar is packaged");
    Path launcher = Path.of(p).toAbsolutePath().normalize();
    assertThat(Files.isExecutable(launcher)).as(launcher + " is executable").isTrue();
    return launcher;
  }

  static List<String> prefix() {
    return List.of(path().toString());
  }

  /** The result of one command. */
  record Result(int code, String out, String err) {
    JsonNode json() {
      try {
        return NodeProcess.JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + out + " / " + err, e);
      }
    }

    List<String> errorLines() {
      return err.lines().filter(l -> l.startsWith("error: ")).toList();
    }
  }

  /** Runs {@code lotus-p2p args...} and waits up to two minutes. */
  static Result run(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("lotus-p2p " + String.join(" ", args) + " did not finish within 120 s");
    }
    return new Result(p.exitValue(), out.join(), err.join());
  }

  private static String read(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
