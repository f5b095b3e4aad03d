package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code lotus-p2p node --json} process (started from the test class path, or through the
 * launcher script), whose output lines are collected on a reader thread: the first line, then
 * every event, for tests to await.
 */
final class NodeProcess implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(90);

  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();
  final StringBuffer stderr = new StringBuffer();
  private final JsonNode first;

  private NodeProcess(Process process) throws InterruptedException {
    this.process = process;
    Thread reader = new Thread(() -> pump(new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), lines), "node-stdout");
    reader.setDaemon(true);
    reader.start();
    Thread err = new Thread(() -> {
      List<String> sink = new ArrayList<>();
      pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), sink);
    }, "node-stderr");
    err.setDaemon(true);
    err.start();
    this.first = awaitLine(l -> l.startsWith("{\"peerId\""), WAIT);
  }

  private void pump(BufferedReader r, List<String> sink) {
    try {
      String l;
      while ((l = r.readLine()) != null) {
        if (sink == lines) {
          lines.add(l);
        } else {
          stderr.append(l).append('\n');
        }
      }
    } catch (IOException e) {
      // the process ended
    }
  }

  /** The java command running the CLI from the test class path. */
  static List<String> javaCli() {
    return new ArrayList<>(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "org.lotusia.node.Main"));
  }

  /** Starts {@code prefix... node --json args...} and waits for its first line. */
  static NodeProcess start(List<String> prefix, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add("node");
    cmd.add("--json");
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    try {
      return new NodeProcess(p);
    } catch (RuntimeException | AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The first line, {@code {"peerId":...}}. */
  JsonNode first() {
    return first;
  }

  String peerId() {
    return first.get("peerId").asText();
  }

  String addr() {
    return first.get("addrs").get(0).asText();
  }

  int statusPort() {
    return first.get("statusPort").asInt();
  }

  /** Waits for an output line matching {@code match}, returned as JSON. */
  JsonNode awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    int from = 0;
    while (Instant.now().isBefore(deadline)) {
      List<String> snapshot = List.copyOf(lines);
      for (int i = from; i < snapshot.size(); i++) {
        if (match.test(snapshot.get(i))) {
          try {
            return JSON.readTree(snapshot.get(i));
          } catch (IOException e) {
            throw new AssertionError("not JSON: " + snapshot.get(i), e);
          }
        }
      }
      from = 0;
      if (!process.isAlive() && lines.size() == snapshot.size()) {
        throw new AssertionError("node exited with " + process.exitValue() + "; stderr: " + stderr);
      }
      process.waitFor(50, TimeUnit.MILLISECONDS);
    }
    throw new AssertionError("no matching line within " + timeout + "; output: " + lines + "; stderr: " + stderr);
  }

  /** Waits for an event object whose field {@code event} is {@code type} and that matches. */
  JsonNode awaitEvent(String type, Predicate<JsonNode> match) throws InterruptedException {
    return awaitLine(
        l -> {
          try {
            JsonNode n = JSON.readTree(l);
            return type.equals(n.path("event").asText()) && match.test(n);
          } catch (IOException e) {
            return false;
          }
        },
        WAIT);
  }

  /** Sends SIGTERM and returns the exit code, asserting it came within {@code seconds}. */
  int terminate(int seconds) throws InterruptedException {
    process.destroy();
    assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("node exited within " + seconds + " s").isTrue();
    return process.exitValue();
  }

  /** Kills the process if it still runs and waits up to 10 s for it to exit. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        // the process is already killed; keep the interrupt for whoever tears the test down
        Thread.currentThread().interrupt();
      }
    }
  }
}
