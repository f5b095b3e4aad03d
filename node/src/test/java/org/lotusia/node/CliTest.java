package org.lotusia.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lotusia.libp2p.stack.Transports;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.WebSocketOptions;
import org.lotusia.libp2p.WebSocketTls;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.testing.TestCertificates;

/**
 * The command line: a {@code node} subprocess pinged and perf-tested by the in-process CLI, its
 * identity kept in the data directory, and every kind of bad input answered with one {@code error:}
 * line and exit code 2 (usage) or 1 (environment, network).
 */
class CliTest {

  private final List<NodeProcess> nodes = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void kill() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }

  private NodeProcess startNode(String... args) throws Exception {
    NodeProcess n = NodeProcess.start(NodeProcess.javaCli(), args);
    nodes.add(n);
    return n;
  }

  private record Result(int code, String out, String err) {
    List<String> errorLines() {
      return err.lines().filter(l -> l.startsWith("error: ")).toList();
    }
  }

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void nodeServesPingAndPerfAndStopsOnSigterm() throws Exception {
    NodeProcess node = startNode("--data-dir", tmp.resolve("a").toString());
    assertThat(node.addr()).startsWith("/ip4/127.0.0.1/tcp/").endsWith("/p2p/" + node.peerId());
    assertThat(node.first().at("/noiseCipher/implementation").asText()).isIn("native", "jdk", "java");
    assertThat(node.first().at("/noiseCipher/basis").asText())
        .isIn("provisional", "calibrated", "only available", "property");
    assertThat(node.first().at("/secp256k1/implementation").asText()).isIn("native", "bouncycastle");

    Result ping = run("ping", node.addr(), "--count", "2");
    assertThat(ping.code()).as(ping.err()).isZero();
    assertThat(ping.out().lines())
        .hasSize(2)
        .allMatch(l -> l.matches("ping \\d: " + node.peerId() + " rtt=\\d+\\.\\d+ ms"));

    Result perf = run("perf", node.addr(), "--upload", "1000000", "--download", "2000000");
    assertThat(perf.code()).as(perf.err()).isZero();
    assertThat(perf.out()).contains("upload: 1000000 bytes").contains("download: 2000000 bytes");

    assertThat(node.terminate(20)).isZero();
  }

  @Test
  void nodeListensOnWebSocketAndThePingCommandDialsIt() throws Exception {
    NodeProcess node =
        startNode("--listen", "/ip4/127.0.0.1/tcp/0/ws", "--data-dir", tmp.resolve("ws").toString());
    assertThat(node.addr()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/ws/p2p/" + node.peerId());
    Result ping = run("ping", node.addr(), "--count", "1");
    assertThat(ping.code()).as(ping.err()).isZero();
    assertThat(ping.out()).startsWith("ping 1: " + node.peerId());
  }

  @Test
  void nodeListensOnSecureWebSocketWithItsPkcs12CertificateAndAClientTrustingTheCaDialsIt()
      throws Exception {
    TestCertificates certs = TestCertificates.create("127.0.0.1");
    Path p12 = certs.pkcs12(tmp, "s3cret".toCharArray());
    Path password = Files.writeString(tmp.resolve("wss.pass"), "s3cret\n");
    NodeProcess node =
        startNode(
            "--listen", "/ip4/127.0.0.1/tcp/0/wss",
            "--wss-cert", p12.toString(),
            "--wss-password-file", password.toString(),
            "--data-dir", tmp.resolve("wss").toString());
    assertThat(node.addr()).matches("/ip4/127\\.0\\.0\\.1/tcp/\\d+/wss/p2p/" + node.peerId());

    try (Host client =
        new HostBuilder()
            .transports(
                Transports.websocket(
                    WebSocketOptions.DEFAULT,
                    WebSocketTls.builder().trustCertificates(List.of(certs.ca())).build()))
            .build()) {
      client.addProtocol(new Ping());
      client.start().join();
      Connection c = client.dial(Multiaddr.parse(node.addr())).join();
      assertThat(c.remotePeer().toString()).isEqualTo(node.peerId());
      assertThat(client.newStream(c, new Ping()).join().ping().join()).isPositive();
    }
  }

  @Test
  void secureWebSocketFlagsThatDoNotFitAreUsageErrors() throws Exception {
    Result noCert = run("node", "--listen", "/ip4/127.0.0.1/tcp/0/wss", "--data-dir", tmp.toString());
    assertThat(noCert.code()).isEqualTo(2);
    assertThat(noCert.errorLines()).singleElement().asString().contains("needs a certificate: give --wss-cert");
    Result keyAlone = run("node", "--wss-key", "key.pem", "--data-dir", tmp.toString());
    assertThat(keyAlone.code()).isEqualTo(2);
    assertThat(keyAlone.errorLines()).singleElement().asString().contains("need --wss-cert");
    Result certAlone = run("node", "--wss-cert", "chain.pem", "--data-dir", tmp.toString());
    assertThat(certAlone.code()).isEqualTo(2);
    assertThat(certAlone.errorLines()).singleElement().asString().contains("--wss-cert needs --wss-key");
    Result missing =
        run("node", "--listen", "/ip4/127.0.0.1/tcp/0/wss", "--wss-cert", tmp.resolve("none.pem").toString(),
            "--wss-key", tmp.resolve("none.key").toString(), "--data-dir", tmp.toString());
    assertThat(missing.code()).as(missing.err()).isNotZero();
    assertThat(missing.errorLines()).singleElement().asString().contains("no such file").contains("none.");
  }

  @Test
  void theDataDirectoryKeepsTheIdentityWithMode600() throws Exception {
    Path dir = tmp.resolve("keep");
    NodeProcess first = startNode("--data-dir", dir.toString());
    assertThat(first.terminate(20)).isZero();
    Path key = dir.resolve("identity.key");
    assertThat(Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    NodeProcess second = startNode("--data-dir", dir.toString());
    assertThat(second.peerId()).isEqualTo(first.peerId());
    Result id = run("id", "--data-dir", dir.toString());
    assertThat(id.out().strip()).isEqualTo(first.peerId());
  }

  @Test
  void badMultiaddrIsAUsageError() {
    Result r = run("ping", "/ip4/not-an-ip/tcp/1");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().startsWith("error: invalid multiaddr '/ip4/not-an-ip/tcp/1'");
    Result listen = run("node", "--listen", "/ip4/999.1.1.1/tcp/0", "--data-dir", tmp.toString());
    assertThat(listen.code()).isEqualTo(2);
    assertThat(listen.errorLines()).singleElement().asString().contains("'/ip4/999.1.1.1/tcp/0' is not a valid multiaddr");
    Result boot = run("node", "--bootstrap", "/ip4/127.0.0.1/tcp/1", "--data-dir", tmp.toString());
    assertThat(boot.code()).isEqualTo(2);
    assertThat(boot.errorLines()).singleElement().asString().contains("must end in /p2p/<peer ID>");
  }

  @Test
  void unknownFlagsAndMissingArgumentsAreUsageErrors() {
    Result flag = run("node", "--bogus");
    assertThat(flag.code()).isEqualTo(2);
    assertThat(flag.errorLines()).singleElement().asString().isEqualTo("error: Unknown option: '--bogus'");
    Result missing = run("perf");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).startsWith("error: ");
    Result status = run("node", "--status", "localhost:http", "--data-dir", tmp.toString());
    assertThat(status.code()).isEqualTo(2);
    assertThat(status.errorLines()).singleElement().asString().contains("expected [HOST:]PORT");
    Result nodes = run("demo", "--nodes", "1");
    assertThat(nodes.code()).isEqualTo(2);
    assertThat(nodes.errorLines()).singleElement().asString().contains("--nodes must be between 2 and 20");
  }

  @Test
  void unreachablePeerSaysConnectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r = run("ping", "/ip4/127.0.0.1/tcp/" + port);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errorLines()).singleElement().asString().isEqualTo("error: connection refused by 127.0.0.1:" + port);
    Result send =
        run("send", "/ip4/127.0.0.1/tcp/" + port + "/p2p/12D3KooWEAUhsEcSv7rsQVQgFr9PX5twtX2mt36FkGNhkBkMCnGi", "--type", "t");
    assertThat(send.code()).isEqualTo(1);
    assertThat(send.errorLines()).singleElement().asString().isEqualTo("error: connection refused by 127.0.0.1:" + port);
  }

  @Test
  void anUnreadableIdentityFileIsNamed() throws Exception {
    Path garbage = tmp.resolve("garbage.key");
    Files.writeString(garbage, "not a key");
    Result bad = run("node", "--identity", garbage.toString(), "--data-dir", tmp.resolve("d1").toString());
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.errorLines()).singleElement().asString()
        .startsWith("error: key file " + garbage)
        .doesNotContain("Exception");
    Path dir = Files.createDirectory(tmp.resolve("dir.key"));
    Result unreadable = run("node", "--identity", dir.toString(), "--data-dir", tmp.resolve("d2").toString());
    assertThat(unreadable.code()).isEqualTo(1);
    assertThat(unreadable.errorLines()).singleElement().asString()
        .isEqualTo("error: cannot read key file " + dir + ": Is a directory");
  }

  @Test
  void aPortInUseIsNamed() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String listen = "/ip4/127.0.0.1/tcp/" + busy.getLocalPort();
      Result r = run("node", "--listen", listen, "--data-dir", tmp.toString());
      assertThat(r.code()).isEqualTo(1);
      assertThat(r.errorLines()).singleElement().asString()
          .isEqualTo("error: cannot start the node on " + listen + ": address already in use");
      Result status = run("node", "--status", "127.0.0.1:" + busy.getLocalPort(), "--data-dir", tmp.resolve("s").toString());
      assertThat(status.code()).isEqualTo(1);
      assertThat(status.errorLines()).singleElement().asString()
          .startsWith("error: cannot serve the status on 127.0.0.1:" + busy.getLocalPort());
    }
  }

  @Test
  void aDataDirectoryThatIsAFileOrLockedOrCorruptIsRefused() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    Result isFile = run("node", "--data-dir", file.toString());
    assertThat(isFile.code()).isEqualTo(2);
    assertThat(isFile.errorLines()).singleElement().asString()
        .isEqualTo("error: --data-dir " + file + " is a file, not a directory");

    Path locked = tmp.resolve("locked");
    NodeProcess holder = startNode("--data-dir", locked.toString());
    Result busy = run("node", "--data-dir", locked.toString());
    assertThat(busy.code()).isEqualTo(1);
    assertThat(busy.errorLines()).singleElement().asString()
        .isEqualTo("error: " + locked.resolve("node.db") + " is locked: another lotus-p2p node uses this"
            + " data directory (stop it, or give another --data-dir)");
    assertThat(holder.process.isAlive()).isTrue();

    Path corrupt = Files.createDirectory(tmp.resolve("corrupt"));
    byte[] junk = new byte[8192];
    new java.util.Random(7).nextBytes(junk);
    Files.write(corrupt.resolve("node.db"), junk);
    Result bad = run("node", "--data-dir", corrupt.toString());
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.errorLines()).singleElement().asString()
        .startsWith("error: " + corrupt.resolve("node.db") + " is corrupt");
    assertThat(Files.readAllBytes(corrupt.resolve("node.db"))).as("never a silent fresh start").isEqualTo(junk);
  }

  @Test
  void idCreatesAndPrintsAnIdentity() throws Exception {
    Path key = tmp.resolve("new.key");
    Result created = run("id", key.toString(), "--json");
    assertThat(created.code()).as(created.err()).isZero();
    var json = NodeProcess.JSON.readTree(created.out());
    assertThat(json.get("created").asBoolean()).isTrue();
    assertThat(json.get("keyType").asText()).isEqualTo("ED25519");
    Result again = run("id", key.toString());
    assertThat(again.out().strip()).isEqualTo(json.get("peerId").asText());
  }
}
