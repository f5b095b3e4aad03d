package org.lotusia.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.NoiseCipher;
import org.lotusia.libp2p.Transport;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.protocol.perf.Perf;
import org.lotusia.libp2p.protocol.ping.Ping;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lotus-p2p node}: runs a host serving identify, ping and perf until SIGINT/SIGTERM. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = "Start a node; prints its listen addresses, runs until interrupted.")
final class NodeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--listen",
      paramLabel = "MULTIADDR",
      description =
          "Listen address (repeatable), TCP or WebSocket (.../tcp/PORT/ws)."
              + " Default: /ip4/127.0.0.1/tcp/0")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--identity",
      paramLabel = "FILE",
      description = "Private key file; created (Ed25519) when absent.")
  Path identity;

  @Option(
      names = "--json",
      description =
          "First print one JSON line {\"peerId\":...,\"addrs\":[...],\"noiseCipher\":{...}}.")
  boolean json;

  /** Counted down by the shutdown hook; visible for tests that run the command in-process. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    HostBuilder builder = new HostBuilder().transports(Transport.tcp(), Transport.websocket());
    List<String> addrs = listen.isEmpty() ? List.of("/ip4/127.0.0.1/tcp/0") : listen;
    for (String a : addrs) {
      builder.listen(Cli.parseAddress(a));
    }
    if (identity != null) {
      builder.identity(KeyFiles.loadOrCreate(identity, KeyType.ED25519));
    }
    Host host = builder.build();
    host.addProtocol(new Ping());
    host.addProtocol(new Perf());
    Cli.await(host.start(), 30);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "lotus-p2p-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (json) {
      ObjectNode line = new ObjectMapper().createObjectNode();
      line.put("peerId", host.peerId().toBase58());
      ArrayNode array = line.putArray("addrs");
      host.listenAddresses().forEach(a -> array.add(a.toString()));
      // Which ChaCha20-Poly1305 encrypts Noise; "provisional" until the calibration settles (the
      // settled choice is logged once).
      NoiseCipher cipher = NoiseCipher.current();
      line.putObject("noiseCipher")
          .put("implementation", cipher.implementation())
          .put("description", cipher.description())
          .put("basis", cipher.basis());
      out.println(line);
    }
    for (Multiaddr a : host.listenAddresses()) {
      out.println(a);
    }
    out.flush();
    try {
      stop.await();
    } finally {
      Cli.await(host.close(), 10);
      stopped.countDown();
    }
    return 0;
  }
}
