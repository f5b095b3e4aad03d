package org.lotusia.libp2p.netlab;

import java.time.Duration;
import java.util.List;
import org.lotusia.libp2p.netlab.NetLab.NatType;
import org.lotusia.libp2p.netlab.NetLab.Namespace;

/**
 * The NAT topology of the lab: a public segment (198.51.100.0/24) with a relay, and private
 * networks behind routers: A (10.0.1.0/24) and B (10.0.2.0/24) behind endpoint-independent NATs, C
 * (10.0.3.0/24) behind a symmetric NAT. {@link #run} starts two nodes, lets them reserve on the
 * relay and learn they are private, connects them through the relay and waits for DCUtR.
 */
public final class NatScenario implements AutoCloseable {

  /** What one run measured. */
  public record Outcome(
      boolean privateVerdicts,
      long circuitMs,
      boolean direct,
      int attempts,
      long upgradeMs,
      String echo,
      String detail) {}

  private static final Duration STEP = Duration.ofSeconds(60);

  private final NetLab lab = new NetLab();
  private final Namespace relayNs;
  private final Namespace a;
  private final Namespace b;
  private final Namespace c;
  private final LabProcess relay;
  private final String relayAddr;

  /** Builds the topology and starts the relay. */
  public NatScenario() throws Exception {
    try {
      NetLab.Segment pub0 = lab.segment("pub", "198.51.100");
      relayNs = lab.host("relay");
      lab.attach(relayNs, pub0, 10);
      a = natted("a", pub0, 1, "10.0.1", NatType.ENDPOINT_INDEPENDENT);
      b = natted("b", pub0, 2, "10.0.2", NatType.ENDPOINT_INDEPENDENT);
      c = natted("c", pub0, 3, "10.0.3", NatType.SYMMETRIC);
      relay = LabProcess.start(relayNs, LabNode.class, List.of("relay", "198.51.100.10", "4001"));
    } catch (RuntimeException | java.io.IOException e) {
      lab.close();
      throw e;
    }
    String ready;
    try {
      ready = relay.expect("ready", STEP);
    } catch (RuntimeException | InterruptedException e) {
      close();
      throw e;
    }
    relayAddr = ready.split(" ")[2];
  }

  private Namespace natted(String name, NetLab.Segment pub, int wanHost, String lan, NatType type) {
    Namespace router = lab.host("r" + name);
    String wan = lab.attach(router, pub, wanHost);
    Namespace host = lab.host(name);
    String lanIf = lab.lan(router, host, lan);
    lab.router(router, wan, lanIf, type);
    return host;
  }

  /**
   * One run: the dialer (behind A's NAT) reaches the target (behind B's, or C's symmetric NAT when
   * {@code symmetric}) through the relay; ports differ per run so earlier connections' TIME_WAIT
   * states do not interfere.
   */
  public Outcome run(int index, boolean symmetric) throws Exception {
    String port = String.valueOf(4101 + index);
    Namespace targetNs = symmetric ? c : b;
    String targetIp = symmetric ? "10.0.3.2" : "10.0.2.2";
    try (LabProcess dialer =
            LabProcess.start(a, LabNode.class, List.of("peer", "10.0.1.2", port, relayAddr));
        LabProcess target =
            LabProcess.start(targetNs, LabNode.class, List.of("peer", targetIp, port, relayAddr))) {
      dialer.expect("ready", STEP);
      String targetId = target.expect("ready", STEP).split(" ")[1];
      String circuit = target.expect("circuit", STEP);
      long circuitMs = Long.parseLong(circuit.split(" ")[1]);
      String circuitAddr = circuit.split(" ")[2];
      boolean privateVerdicts =
          target.expect("reach PRIVATE", STEP) != null && dialer.expect("reach PRIVATE", STEP) != null;
      String dial = dialer.call("dial " + circuitAddr, STEP);
      if (!dial.contains("relayed=true")) {
        return new Outcome(privateVerdicts, circuitMs, false, 0, -1, "", dial);
      }
      String dcutr = target.call("dcutr 60000", STEP);
      boolean direct = dcutr.contains("direct=true");
      int attempts = Integer.parseInt(field(dcutr, "attempts="));
      long upgradeMs = Long.parseLong(field(dcutr, "elapsedMs="));
      if (direct) {
        dialer.call("wait-direct " + targetId + " 10000", STEP);
      }
      String echo = dialer.call("echo " + targetId, STEP);
      dialer.send("quit");
      target.send("quit");
      return new Outcome(privateVerdicts, circuitMs, direct, attempts, upgradeMs, echo, dcutr);
    }
  }

  private static String field(String line, String key) {
    int i = line.indexOf(key);
    if (i < 0) {
      return "-1";
    }
    int end = line.indexOf(' ', i);
    return line.substring(i + key.length(), end < 0 ? line.length() : end);
  }

  @Override
  public void close() {
    relay.close();
    lab.close();
  }
}
