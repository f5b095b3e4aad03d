package org.lotusia.libp2p.netlab;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.lotusia.libp2p.netlab.NetLab.Namespace;

/**
 * A bad network in the lab: {@code size} hosts in namespaces of their own ({@code 203.0.113.(10+i)},
 * RFC 5737 documentation addresses, never routed outside the lab), each on a link of its own to a
 * {@link DelaySwitch}. What a link does to a packet, in order:
 *
 * <ul>
 *   <li>rate: {@code tc tbf} on both ends of the host's veth ({@link Shape#rateKbit}, 0 for none);
 *   <li>delay and jitter: the switch holds each frame from host {@code a} to host {@code b} for
 *       {@link Shape#delayMs} ± {@link Shape#jitterMs} (uniform), so the one-way delay between two
 *       hosts is that, and a round trip twice that;
 *   <li>loss: nftables drops {@link Shape#lossPercent} % of the packets each host receives, at
 *       random ({@code numgen random mod 100}), so each direction of a path loses that share;
 *   <li>partitions: {@link #partition} drops everything between two groups until {@link #heal}.
 * </ul>
 *
 * <p>Topology: switch namespace with bridge {@code b<i>} joining host {@code i}'s veth and TAP
 * device {@code t<i>}; the switch process reads frames from every TAP and writes them, delayed, to
 * the destination's TAP. Not thread-safe: build and change it from one thread.
 */
public final class ShapedLan implements AutoCloseable {

  /**
   * How every link behaves.
   *
   * @param delayMs one-way delay between two hosts, in ms
   * @param jitterMs the delay varies uniformly by up to this much either way (at most the delay)
   * @param lossPercent share of packets dropped in each direction, 0..100
   * @param rateKbit each host's send and receive rate in kbit/s, or 0 for the veth's own speed
   */
  public record Shape(int delayMs, int jitterMs, int lossPercent, int rateKbit) {
    /** Checks the ranges. */
    public Shape {
      if (delayMs < 0 || jitterMs < 0 || jitterMs > delayMs) {
        throw new IllegalArgumentException(
            "delay and jitter are >= 0 ms with jitter <= delay, got " + delayMs + " ± " + jitterMs);
      }
      if (lossPercent < 0 || lossPercent > 100 || rateKbit < 0) {
        throw new IllegalArgumentException(
            "loss is 0..100 % and rate >= 0 kbit/s, got " + lossPercent + " % and " + rateKbit);
      }
    }

    /** A link that does nothing to packets. */
    public static Shape clean() {
      return new Shape(0, 0, 0, 0);
    }
  }

  private static final Duration STEP = Duration.ofSeconds(60);

  private final NetLab lab = new NetLab();
  private final List<Namespace> hosts = new ArrayList<>();
  private final List<String> ips = new ArrayList<>();
  private final List<String[]> links = new ArrayList<>();
  private final Namespace switchNs;
  private final LabProcess switchProcess;
  private Shape shape = Shape.clean();

  /** Builds {@code size} hosts on the switch and starts it; links are clean until {@link #shape}. */
  public ShapedLan(int size) throws IOException, InterruptedException {
    if (size < 2 || size > 200) {
      throw new IllegalArgumentException("a shaped LAN has 2..200 hosts, got " + size);
    }
    LabProcess sw = null;
    try {
      switchNs = lab.host("sw");
      lab.sysctl(switchNs, "net.ipv6.conf.all.disable_ipv6", "1");
      List<String> taps = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        String bridge = "b" + lab.id() + "p" + i;
        String tap = "t" + lab.id() + "p" + i;
        lab.bridge(switchNs, bridge);
        lab.tap(switchNs, tap, bridge);
        Namespace h = lab.host("h" + i);
        lab.sysctl(h, "net.ipv6.conf.all.disable_ipv6", "1");
        String ip = "203.0.113." + (10 + i);
        links.add(lab.wire(h, switchNs, bridge, ip));
        hosts.add(h);
        ips.add(ip);
        taps.add(tap);
      }
      sw = LabProcess.start(switchNs, DelaySwitch.class, taps);
      sw.expect("ready", STEP);
    } catch (IOException | RuntimeException | InterruptedException e) {
      if (sw != null) {
        sw.close();
      }
      lab.close();
      throw e;
    }
    switchProcess = sw;
  }

  /** The lab underneath, for NAT routers or other additions. */
  public NetLab lab() {
    return lab;
  }

  /** Host {@code i}'s namespace. */
  public Namespace host(int i) {
    return hosts.get(i);
  }

  /** Host {@code i}'s address. */
  public String ip(int i) {
    return ips.get(i);
  }

  /** The number of hosts. */
  public int size() {
    return hosts.size();
  }

  /** The shape in force. */
  public Shape shape() {
    return shape;
  }

  /** Applies {@code s} to every link (replacing the previous shape). */
  public void shape(Shape s) throws IOException, InterruptedException {
    String answer = switchProcess.call("shape " + s.delayMs() + " " + s.jitterMs(), STEP);
    if (answer.contains("error")) {
      throw new IllegalStateException(answer);
    }
    for (int i = 0; i < hosts.size(); i++) {
      Namespace h = hosts.get(i);
      NetLab.run("ip", "netns", "exec", h.name(), "sh", "-c",
          "nft delete table inet labloss 2>/dev/null; true");
      if (s.lossPercent() > 0) {
        lab.loss(h, s.lossPercent());
      }
      String[] link = links.get(i);
      if (s.rateKbit() > 0) {
        lab.rate(h, link[0], s.rateKbit());
        lab.rate(switchNs, link[1], s.rateKbit());
      } else {
        NetLab.run("ip", "netns", "exec", h.name(), "sh", "-c",
            "tc qdisc del dev " + link[0] + " root 2>/dev/null; true");
        NetLab.run("ip", "netns", "exec", switchNs.name(), "sh", "-c",
            "tc qdisc del dev " + link[1] + " root 2>/dev/null; true");
      }
    }
    shape = s;
  }

  /** Drops everything between the hosts of {@code a} and those of {@code b}, both ways. */
  public void partition(Collection<Integer> a, Collection<Integer> b) {
    for (int i : a) {
      lab.partition(hosts.get(i), b.stream().map(ips::get).toList());
    }
    for (int j : b) {
      lab.partition(hosts.get(j), a.stream().map(ips::get).toList());
    }
  }

  /** Removes every partition. */
  public void heal() {
    hosts.forEach(lab::heal);
  }

  /** The switch's counters: {@code stats forwarded=N dropped=N late=N queued=N maxQueued=N}. */
  public String switchStats() throws IOException, InterruptedException {
    return switchProcess.call("stats", STEP);
  }

  @Override
  public void close() {
    switchProcess.close();
    lab.close();
  }
}
