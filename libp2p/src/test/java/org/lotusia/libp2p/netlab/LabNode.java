package org.lotusia.libp2p.netlab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.AddressManager;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
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
import org.lotusia.libp2p.stack.Transports;
import org.lotusia.libp2p.upnp.UpnpConfig;
import org.lotusia.libp2p.upnp.UpnpEvent;
import org.lotusia.libp2p.upnp.UpnpNat;

/**
 * A node of the NAT lab, run in a namespace by {@link LabProcess}. {@code relay <ip> <port>}: a
 * public relay and AutoNAT server. {@code peer <ip> <port> <relay multiaddr,...> [pick]}: a node
 * with AutoNAT, AutoRelay (reserving while not public) and DCUtR; AutoRelay reserves on every
 * relay given, or with {@code pick} connects to all of them and holds one reservation on whichever
 * AutoRelay picks among its connected relays, moving to another when that one goes away. {@code
 * upnp <ip> <port> <relay multiaddr> <gateway ip>}: a node with AutoNAT and UPnP port mapping (see
 * {@link #upnpNode}).
 *
 * <p>Commands (one per line; answers start with {@value LabProcess#PREFIX}): {@code status}, {@code
 * dial <circuit addr>}, {@code wait-direct <peer> <ms>}, {@code echo <peer>}, {@code dcutr <ms>},
 * {@code quit}. Events: {@code ready}, {@code circuit <ms> <addr>}, {@code reach <verdict> <ms>},
 * {@code upnp <mapped addr> <ms>}, {@code advertised <addr> <ms>}.
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
        new HostBuilder().transports(Transports.tcp()).listen(listen).eventLoopThreads(1).build();
    host.setStreamHandler(ECHO, LabNode::echo, HandlerOptions.LIMITED_OK);
    host.start().get(30, TimeUnit.SECONDS);
    CompletableFuture<DcutrResult> dcutrDone = new CompletableFuture<>();
    List<AutoCloseable> closeFirst = new ArrayList<>();
    if (role.equals("relay")) {
      new RelayService(host, RelayServiceConfig.builder().requirePublicAddress(true).build());
      new AutoNatServer(host, AutoNatServerConfig.builder().dialTimeout(Duration.ofSeconds(4))
          .rateLimits(100, 1000, Duration.ofMinutes(1)).build());
    } else if (role.equals("upnp")) {
      // started after "ready" below, so that its events follow it
    } else {
      List<Multiaddr> relays = java.util.Arrays.stream(args[3].split(","))
          .map(Multiaddr::parse).toList();
      boolean pick = args.length > 4 && args[4].equals("pick");
      AutoNat nat = labAutoNat(host, t0);
      CircuitRelay circuits = new CircuitRelay(host);
      AutoRelay autoRelay =
          new AutoRelay(
              circuits,
              AutoRelayConfig.builder()
                  .staticRelays(pick ? List.of() : relays)
                  .targetReservations(pick ? 1 : 0)
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
      if (pick) {
        for (Multiaddr r : relays) {
          host.dial(r).get(30, TimeUnit.SECONDS);
        }
      }
    }
    say("ready " + host.peerId() + " " + host.listenAddresses().get(0));
    if (role.equals("upnp")) {
      closeFirst.add(upnpNode(host, t0, Multiaddr.parse(args[3]), args[4]));
    }
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
            for (AutoCloseable c : closeFirst) {
              c.close();
            }
            host.closeAsync().get(10, TimeUnit.SECONDS);
            say("quit");
            System.exit(0);
          }
          default -> say("error unknown command " + w[0]);
        }
      } catch (Exception e) {
        say(w[0] + " error " + e);
      }
    }
    host.closeAsync().get(10, TimeUnit.SECONDS);
    System.exit(0);
  }

  /** AutoNAT with the lab's fast probing; its verdicts are reported as {@code reach} events. */
  private static AutoNat labAutoNat(Host host, long t0) {
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
    return nat;
  }

  /**
   * The {@code upnp} role: AutoNAT asking the relay (connected at once), UPnP on the gateway at
   * {@code gatewayIp}. Says {@code upnp <external address> <ms>} when a mapping is made and
   * {@code advertised <address> <ms>} once AutoNAT confirmed a mapped address.
   */
  private static UpnpNat upnpNode(Host host, long t0, Multiaddr relay, String gatewayIp)
      throws Exception {
    AutoNat nat = labAutoNat(host, t0);
    host.addresses()
        .addListener(
            () ->
                host.addresses().entries().stream()
                    .filter(e -> e.source() == AddressManager.Source.IP_MAPPING && e.advertised())
                    .findFirst()
                    .ifPresent(e -> say("advertised " + e.address() + " " + ms(t0))));
    host.dial(relay).get(30, TimeUnit.SECONDS);
    UpnpNat upnp =
        new UpnpNat(
            host,
            UpnpConfig.builder().ssdpTarget(new InetSocketAddress(gatewayIp, 1900)).build());
    upnp.addListener(
        ev -> {
          if (ev.type() == UpnpEvent.Type.MAPPING_ACTIVE) {
            say("upnp " + ev.mapping().external() + " " + ms(t0));
            nat.recheck(ev.mapping().external()); // as the coordinator does
          }
        });
    upnp.start().get(60, TimeUnit.SECONDS);
    return upnp;
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
