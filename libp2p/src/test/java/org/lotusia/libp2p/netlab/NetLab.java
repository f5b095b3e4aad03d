package org.lotusia.libp2p.netlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network laboratory in Linux network namespaces, built by a test and removed by {@link #close()}:
 * hosts ({@link #host}), shared segments (a bridge in a namespace of its own, {@link #segment}),
 * routers with NAT ({@link #router}: endpoint-independent or symmetric, unsolicited inbound dropped
 * silently as home routers do), partitions and random loss (nftables drop rules). Processes run
 * inside a namespace with {@link LabProcess#start}.
 *
 * <p>Nothing here touches the machine's own network: every interface is a veth pair between two
 * namespaces of the lab, and no namespace has a route out. The public segment uses the RFC 5737
 * documentation ranges, which are never routed on the internet.
 *
 * <p>Link delay needs {@code tc netem}, which the kernels of this project's machines lack; a {@code
 * delay(...)} step can be added beside {@link #loss} where netem exists.
 *
 * <p>Needs root, {@code ip} (iproute2) and {@code nft} (nftables); {@link #unavailable()} says why
 * a machine cannot run it. Not thread-safe: build the lab from one thread.
 */
public final class NetLab implements AutoCloseable {

  /** How a router maps inside connections to its outside address. */
  public enum NatType {
    /** Port kept where it can be (Linux masquerade): hole punching works through it. */
    ENDPOINT_INDEPENDENT,
    /** A random port per connection (masquerade fully-random): hole punching cannot work. */
    SYMMETRIC
  }

  /** A network namespace of the lab. */
  public record Namespace(String name) {}

  /** A shared segment: a bridge inside its own namespace. */
  public record Segment(Namespace ns, String bridge, String prefix) {}

  private final String id = HexFormat.of().formatHex(SecureRandom.getSeed(3)).substring(0, 4);
  private final List<Namespace> namespaces = new ArrayList<>();
  private final AtomicInteger links = new AtomicInteger();

  /** Why this machine cannot run a lab, or empty when it can. */
  public static Optional<String> unavailable() {
    if (!"Linux".equals(System.getProperty("os.name"))) {
      return Optional.of("network namespaces need Linux");
    }
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String uid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      if (!"0".equals(uid)) {
        return Optional.of("network namespaces need root (uid is " + uid + ")");
      }
      for (String tool : List.of("ip", "nft")) {
        Process w = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
        if (!w.waitFor(10, TimeUnit.SECONDS) || w.exitValue() != 0) {
          return Optional.of("'" + tool + "' is not installed (apt-get install iproute2 nftables)");
        }
      }
      String probe = "lnprobe" + ProcessHandle.current().pid();
      Process add = new ProcessBuilder("ip", "netns", "add", probe).redirectErrorStream(true).start();
      String out = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      add.waitFor(10, TimeUnit.SECONDS);
      if (add.exitValue() != 0) {
        return Optional.of("cannot create a network namespace: " + out.trim());
      }
      new ProcessBuilder("ip", "netns", "del", probe).start().waitFor(10, TimeUnit.SECONDS);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot run the lab tools: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** A new namespace with its loopback up. */
  public Namespace host(String role) {
    Namespace ns = new Namespace("ln" + id + "-" + role);
    run("ip", "netns", "add", ns.name());
    namespaces.add(ns);
    run("ip", "-n", ns.name(), "link", "set", "lo", "up");
    return ns;
  }

  /** A shared segment for addresses {@code prefix.N/24} (e.g. {@code 198.51.100}). */
  public Segment segment(String name, String prefix) {
    Namespace ns = host("sw-" + name);
    String br = "br" + id;
    run("ip", "-n", ns.name(), "link", "add", br, "type", "bridge");
    run("ip", "-n", ns.name(), "link", "set", br, "up");
    return new Segment(ns, br, prefix);
  }

  /** Plugs {@code ns} into {@code segment} with address {@code prefix.hostPart}; the interface name. */
  public String attach(Namespace ns, Segment segment, int hostPart) {
    String inside = vethName();
    String outside = vethName();
    run("ip", "link", "add", inside, "netns", ns.name(), "type", "veth", "peer", "name", outside,
        "netns", segment.ns().name());
    run("ip", "-n", segment.ns().name(), "link", "set", outside, "master", segment.bridge());
    run("ip", "-n", segment.ns().name(), "link", "set", outside, "up");
    run("ip", "-n", ns.name(), "addr", "add", segment.prefix() + "." + hostPart + "/24", "dev",
        inside);
    run("ip", "-n", ns.name(), "link", "set", inside, "up");
    return inside;
  }

  /**
   * A private network between a router and one host: {@code prefix.1} on the router, {@code
   * prefix.2} on the host, whose default route goes through the router. Returns the router's
   * interface name.
   */
  public String lan(Namespace router, Namespace host, String prefix) {
    String r = vethName();
    String h = vethName();
    run("ip", "link", "add", r, "netns", router.name(), "type", "veth", "peer", "name", h,
        "netns", host.name());
    run("ip", "-n", router.name(), "addr", "add", prefix + ".1/24", "dev", r);
    run("ip", "-n", host.name(), "addr", "add", prefix + ".2/24", "dev", h);
    run("ip", "-n", router.name(), "link", "set", r, "up");
    run("ip", "-n", host.name(), "link", "set", h, "up");
    run("ip", "-n", host.name(), "route", "add", "default", "via", prefix + ".1");
    return r;
  }

  /**
   * Makes {@code router} a NAT router from {@code lanIf} to {@code wanIf}: forwarding on, outbound
   * connections masqueraded (per {@code type}), inbound only for established connections;
   * unsolicited packets to the router itself are dropped without an answer.
   */
  public void router(Namespace router, String wanIf, String lanIf, NatType type) {
    run("ip", "netns", "exec", router.name(), "sh", "-c",
        "echo 1 > /proc/sys/net/ipv4/ip_forward");
    String masq = type == NatType.SYMMETRIC ? "masquerade fully-random" : "masquerade";
    nft(router,
        "table ip labnat {\n"
            + " chain post { type nat hook postrouting priority 100; oifname \"" + wanIf + "\" "
            + masq + "; }\n"
            + "}\n"
            + "table inet labfilter {\n"
            + " chain labforward { type filter hook forward priority 0; policy drop;\n"
            + "  ct state established,related accept; iifname \"" + lanIf + "\" accept; }\n"
            + " chain labinput { type filter hook input priority 0; policy accept;\n"
            + "  iifname \"" + wanIf + "\" ct state new drop; }\n"
            + "}\n");
  }

  /** Drops every packet between {@code ns} and {@code peerIp} (both ways) until {@link #heal}. */
  public void partition(Namespace ns, String peerIp) {
    nft(ns,
        "table inet labpart {\n"
            + " chain partin { type filter hook input priority -10; ip saddr " + peerIp + " drop; }\n"
            + " chain partout { type filter hook output priority -10; ip daddr " + peerIp + " drop; }\n"
            + "}\n");
  }

  /** Removes the partitions of {@code ns}. */
  public void heal(Namespace ns) {
    run("ip", "netns", "exec", ns.name(), "nft", "delete", "table", "inet", "labpart");
  }

  /** Drops {@code percent} % of the packets {@code ns} receives, at random. */
  public void loss(Namespace ns, int percent) {
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("loss is a percentage 0..100, got " + percent);
    }
    nft(ns,
        "table inet labloss {\n"
            + " chain lossin { type filter hook input priority -20; numgen random mod 100 < "
            + percent + " drop; }\n"
            + "}\n");
  }

  private String vethName() {
    return "l" + id + "v" + links.incrementAndGet();
  }

  private void nft(Namespace ns, String ruleset) {
    try {
      Process p =
          new ProcessBuilder("ip", "netns", "exec", ns.name(), "nft", "-f", "-")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().write(ruleset.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("nft in " + ns.name() + " failed: " + out + "\n" + ruleset);
      }
    } catch (IOException e) {
      throw new IllegalStateException("nft failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Runs a command; fails with its output when it fails. */
  static void run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out.trim());
      }
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Deletes every namespace of the lab (their interfaces go with them). */
  @Override
  public void close() {
    for (Namespace ns : namespaces) {
      try {
        new ProcessBuilder("ip", "netns", "del", ns.name()).start().waitFor(30, TimeUnit.SECONDS);
      } catch (IOException e) {
        // already gone
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    namespaces.clear();
  }
}
