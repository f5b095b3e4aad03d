package org.lotusia.libp2p.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.netlab.NetLab.NatType;
import org.lotusia.libp2p.netlab.NetLab.Namespace;

/**
 * A relay killed ({@code kill -9}) while a node behind NAT is reached through it: two public
 * relays, the target (behind a symmetric NAT) connected to both and holding one reservation
 * (AutoRelay picks); once its
 * relay dies, the target reserves on the other and a node behind another NAT reaches it through the
 * new circuit. The time from the kill to the new circuit address is printed (and bounded, so that
 * a node that never recovers fails).
 *
 * <p>Skipped, with the reason, where namespaces cannot be made, a failure in CI.
 */
class RelayFailoverLabTest {

  private static final Duration STEP = Duration.ofSeconds(90);

  @Test
  @Timeout(600)
  void aNattedNodeMovesToAnotherRelayAndIsReachableAgain() throws Exception {
    NatTraversalLabTest.requireLab();
    try (NetLab lab = new NetLab()) {
      NetLab.Segment pub = lab.segment("pub", "198.51.100");
      Namespace r1 = lab.host("relay1");
      lab.attach(r1, pub, 10);
      Namespace r2 = lab.host("relay2");
      lab.attach(r2, pub, 11);
      Namespace a = natted(lab, "a", pub, 1, "10.0.1", NatType.ENDPOINT_INDEPENDENT);
      // behind a symmetric NAT hole punching fails, so the target stays reachable only through a
      // relay (NatTraversalLabTest shows that)
      Namespace b = natted(lab, "b", pub, 2, "10.0.2", NatType.SYMMETRIC);
      try (LabProcess relay1 = LabProcess.start(r1, LabNode.class,
              List.of("relay", "198.51.100.10", "4001"));
          LabProcess relay2 = LabProcess.start(r2, LabNode.class,
              List.of("relay", "198.51.100.11", "4001"))) {
        String addr1 = relay1.expect("ready", STEP).split(" ")[2];
        String addr2 = relay2.expect("ready", STEP).split(" ")[2];
        String id1 = addr1.substring(addr1.lastIndexOf('/') + 1);
        String id2 = addr2.substring(addr2.lastIndexOf('/') + 1);
        try (LabProcess target = LabProcess.start(b, LabNode.class,
                List.of("peer", "10.0.2.2", "4101", addr1 + "," + addr2, "pick"));
            LabProcess dialer = LabProcess.start(a, LabNode.class,
                List.of("peer", "10.0.1.2", "4101", addr1))) {
          String targetId = target.expect("ready", STEP).split(" ")[1];
          dialer.expect("ready", STEP);
          String first = target.await("a circuit address", s -> s.startsWith("circuit "), STEP)
              .split(" ")[2];
          boolean onFirst = first.contains("/p2p/" + id1 + "/p2p-circuit");
          LabProcess used = onFirst ? relay1 : relay2;
          String otherId = onFirst ? id2 : id1;
          assertThat(dialer.call("dial " + first, STEP)).isEqualTo("dial relayed=true");
          assertThat(dialer.call("echo " + targetId, STEP)).startsWith("echo hello");

          long killed = System.nanoTime();
          used.kill();
          String moved = target.await("a circuit address on the other relay",
              s -> s.startsWith("circuit ") && s.contains("/p2p/" + otherId + "/p2p-circuit"),
              STEP).split(" ")[2];
          long tookMs = (System.nanoTime() - killed) / 1_000_000;
          System.out.printf("relay killed: new reservation and circuit address after %d ms%n",
              tookMs);
          assertThat(dialer.call("dial " + moved, STEP)).isEqualTo("dial relayed=true");
          assertThat(dialer.call("echo " + targetId, STEP)).startsWith("echo hello");
          assertThat(tookMs).as("time to a new reservation").isLessThan(60_000);
        }
      }
    }
  }

  private static Namespace natted(NetLab lab, String name, NetLab.Segment pub, int wanHost,
      String lan, NatType type) {
    Namespace router = lab.host("r" + name);
    String wan = lab.attach(router, pub, wanHost);
    Namespace host = lab.host(name);
    String lanIf = lab.lan(router, host, lan);
    lab.router(router, wan, lanIf, type);
    return host;
  }
}
