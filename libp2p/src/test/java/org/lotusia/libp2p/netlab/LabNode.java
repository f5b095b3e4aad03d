package org.lotusia.libp2p.netlab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.Transport;
import org.lotusia.libp2p.protocol.autonat.AutoNat;
import org.lotusia.libp2p.protocol.autonat.AutoNatConfig;
import org.lotusia.libp2p.protocol.autonat.AutoNatServer;
import org.lotusia.libp2p.protocol.autonat.AutoNatServerConfig;
import org.lotusia.libp2p.protocol.dcutr.Dcutr;
import org.lotusia.libp2p.protocol.dcutr.DcutrConfig;
import org.lotusia.libp2p.protocol.dcutr.DcutrResult;
import org.lotusia.libp2p.protocol.relay.AutoRelay;
import org.lotusia.libp2p.protocol.relay.AutoRelayConfig;
import org.lotusia.libp2p.protocol.relay.CircuitRelay;
import org.lotusia.libp2p.protocol.relay.RelayService;
import org.lotusia.libp2p.protocol.relay.RelayServiceConfig;

/**
 * A node of the NAT lab, run in a namespace by {@link LabProcess}. {@code relay <ip> <port>}: a
 * public relay and AutoNAT server. {@code peer <ip> <port> <relay multiaddr>}: a node with AutoNAT,
 * AutoRelay on the relay (reserving while not public) and DCUtR.
 *
 * <p>Commands (one per line; answers start with {@value LabProcess#PREFIX}): {@code status}, {@code
 * dial <circuit addr>}, {@code wait-direct <peer> <ms>}, {@code echo <peer>}, {@code dcutr <ms>},
 * {@code quit}. Events: {@code ready}, {@code circuit <ms> <addr>}, {@code reach <verdict> <ms>}.
 */
public final class LabNode {

  static final String ECHO = "/lab/echo/1.0.0";

  private LabNode() {}

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(LabProcess.PREFIX + line);
      System.out.flush();
    }
  }

  /** Runs a lab node; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    long t0 = System.nanoTime();
    String role = args[0];
    String listen = "/ip4/" + args[1] + "/tcp/" + args[2];
    Host host =
        new HostBuilder().transports(Transport.tcp()).listen(listen).eventLoopThreads(1).build();
    host.setStreamHandler(ECHO, LabNode::echo, HandlerOptions.LIMITED_OK);
    host.start().get(30, TimeUnit.SECONDS);
    CompletableFuture<DcutrResult> dcutrDone = new CompletableFuture<>();
    if (role.equals("relay")) {
      new RelayService(host, RelayServiceConfig.builder().requirePublicAddress(true).build());
      new AutoNatServer(host, AutoNatServerConfig.builder().dialTimeout(Duration.ofSeconds(4))
          .rateLimits(100, 1000, Duration.ofMinutes(1)).build());
    } else {
      Multiaddr relay = Multiaddr.parse(args[3]);
      AutoNat nat =
          new AutoNat(
              host,
              AutoNatConfig.builder()
                  .confidence(2, 3)
                  .checkInterval(Duration.ofMillis(300))
                  .intervals(Duration.ofMillis(500), Duration.ofMinutes(10))
                  .probeTimeout(Duration.ofSeconds(15))
                  .build());
      nat.addListener(r -> say("reach " + r + " " + ms(t0)));
      CircuitRelay circuits = new CircuitRelay(host);
      AutoRelay autoRelay =
          new AutoRelay(
              circuits,
              AutoRelayConfig.builder()
                  .staticRelays(List.of(relay))
                  .targetReservations(0)
                  .checkInterval(Duration.ofMillis(500))
                  .backoff(Duration.ofMillis(500), Duration.ofSeconds(5))
                  .reachability(nat.reachabilitySupplier())
                  .build());
      nat.addListener(r -> autoRelay.trigger());
      host.addresses()
          .addListener(
              () -> circuits.circuitAddresses().stream().findFirst()
                  .ifPresent(a -> say("circuit " + ms(t0) + " " + a)));
      Dcutr dcutr =
          new Dcutr(host, DcutrConfig.builder().dialTimeout(Duration.ofSeconds(4))
              .relayCloseGrace(Duration.ofSeconds(30)).build());
      dcutr.addListener(dcutrDone::complete);
    }
    say("ready " + host.peerId() + " " + host.listenAddresses().get(0));
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      try {
        switch (w[0]) {
          case "status" -> say("status " + host.advertisedAddresses());
          case "dial" -> {
            Connection c = host.dial(Multiaddr.parse(w[1])).get(30, TimeUnit.SECONDS);
            say("dial relayed=" + relayed(c));
          }
          case "wait-direct" -> {
            PeerId p = PeerId.parse(w[1]);
            long end = System.nanoTime() + Long.parseLong(w[2]) * 1_000_000;
            Optional<Connection> d = direct(host, p);
            while (d.isEmpty() && System.nanoTime() < end) {
              Thread.sleep(50); // a polling loop of this control program, not of a test
              d = direct(host, p);
            }
            say("wait-direct " + d.map(c -> "yes " + c.remoteAddress()).orElse("no"));
          }
          case "echo" -> {
            Stream s = host.newStream(PeerId.parse(w[1]), List.of(ECHO)).get(30, TimeUnit.SECONDS);
            byte[] back =
                s.write("hello".getBytes(StandardCharsets.UTF_8))
                    .thenCompose(v -> s.closeWrite())
                    .thenCompose(v -> s.readAll(64))
                    .get(30, TimeUnit.SECONDS);
            say("echo " + new String(back, StandardCharsets.UTF_8) + " relayed="
                + relayed(s.connection()));
          }
          case "dcutr" -> {
            DcutrResult r = dcutrDone.get(Long.parseLong(w[1]), TimeUnit.MILLISECONDS);
            say("dcutr direct=" + r.direct() + " attempts=" + r.attempts() + " elapsedMs="
                + r.elapsed().toMillis() + " rttMs=" + r.rtt().toMillis() + " " + r.detail());
          }
          case "quit" -> {
            host.close().get(10, TimeUnit.SECONDS);
            say("quit");
            System.exit(0);
          }
          default -> say("error unknown command " + w[0]);
        }
      } catch (Exception e) {
        say(w[0] + " error " + e);
      }
    }
    host.close().get(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static boolean relayed(Connection c) {
    return c.remoteAddress().has(MultiaddrProtocol.P2P_CIRCUIT);
  }

  private static Optional<Connection> direct(Host host, PeerId p) {
    return host.connections(p).stream().filter(c -> c.isOpen() && !relayed(c)).findFirst();
  }

  private static void echo(Stream s) {
    s.readAll(64).thenCompose(b -> s.write(b)).thenCompose(v -> s.closeWrite())
        .whenComplete((v, e) -> s.close());
  }
}
