package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End-to-end: a {@code node} subprocess, pinged and perf-tested by the in-process CLI. */
class CliTest {

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void kill() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Starts {@code lotus-p2p node --json ...} and returns the process and its parsed first line. */
  private Started startNode(String... extra) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "org.lotusia.node.Main",
                "node",
                "--json"));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    processes.add(p);
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String json = out.readLine();
    assertThat(json).as("first output line of node").isNotNull();
    JsonNode line = new ObjectMapper().readTree(json);
    assertThat(line.at("/noiseCipher/implementation").asText()).isIn("native", "jdk", "java");
    assertThat(line.at("/noiseCipher/basis").asText())
        .isIn("provisional", "calibrated", "only available", "property");
    String addr = out.readLine();
    return new Started(p, line.get("peerId").asText(), line.get("addrs").get(0).asText(), addr);
  }

  private record Started(Process process, String peerId, String jsonAddr, String lineAddr) {}

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void nodeServesPingAndPerfAndStopsOnSigterm() throws Exception {
    Started node = startNode();
    assertThat(node.jsonAddr())
        .isEqualTo(node.lineAddr())
        .startsWith("/ip4/127.0.0.1/tcp/")
        .endsWith("/p2p/" + node.peerId());

    Result ping = run("ping", node.lineAddr(), "--count", "2");
    assertThat(ping.code()).as(ping.err()).isZero();
    assertThat(ping.out().lines())
        .hasSize(2)
        .allMatch(l -> l.matches("ping \\d: " + node.peerId() + " rtt=\\d+\\.\\d+ ms"));

    Result perf = run("perf", node.lineAddr(), "--upload", "1000000", "--download", "2000000");
    assertThat(perf.code()).as(perf.err()).isZero();
    assertThat(perf.out()).contains("upload: 1000000 bytes").contains("download: 2000000 bytes");

    node.process().destroy(); // SIGTERM
    assertThat(node.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void nodeListensOnWebSocketAndThePingCommandDialsIt() throws Exception {
    Started node = startNode("--listen", "/ip4/127.0.0.1/tcp/0/ws");
    assertThat(node.lineAddr()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/" + node.peerId());
    Result ping = run("ping", node.lineAddr(), "--count", "1");
    assertThat(ping.code()).as(ping.err()).isZero();
    assertThat(ping.out()).startsWith("ping 1: " + node.peerId());
  }

  @Test
  void identityFileKeepsThePeerId(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("node.key");
    Started first = startNode("--identity", key.toString());
    first.process().destroy();
    assertThat(first.process().waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(key).exists();
    Started second = startNode("--identity", key.toString(), "--listen", "/ip4/127.0.0.1/tcp/0");
    assertThat(second.peerId()).isEqualTo(first.peerId());
  }

  @Test
  void badMultiaddrExitsNonZeroWithOneLine() {
    Result r = run("ping", "/ip4/not-an-ip/tcp/1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err().lines())
        .hasSize(1)
        .first()
        .asString()
        .startsWith("error: invalid multiaddr '/ip4/not-an-ip/tcp/1'");
  }

  @Test
  void unreachablePeerExitsNonZeroWithOneLine() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r = run("ping", "/ip4/127.0.0.1/tcp/" + port);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().lines()).hasSize(1).first().asString().startsWith("error: ");
  }

  @Test
  void missingArgumentIsAUsageError() {
    Result r = run("perf");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ");
  }
}
