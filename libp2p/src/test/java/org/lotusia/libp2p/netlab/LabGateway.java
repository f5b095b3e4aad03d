package org.lotusia.libp2p.netlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.upnp.FakeGateway;

/**
 * The UPnP side of a lab NAT router, run in the router's namespace by {@link LabProcess}: a {@link
 * FakeGateway} on the router's LAN address (SSDP on port 1900, answering unicast searches) whose
 * port mapping table is applied to the router as nftables DNAT rules, as miniupnpd does on a home
 * router, with forwarding of DNAT-ed connections allowed. Arguments: {@code <lan ip> <wan ip>}.
 * Events: {@code ready}, {@code mappings <external port>-><client>:<port>,...} (or {@code none})
 * after each change.
 */
public final class LabGateway {

  private LabGateway() {}

  private static void say(String line) {
    synchronized (System.out) {
      System.out.println(LabProcess.PREFIX + line);
      System.out.flush();
    }
  }

  /** Runs the gateway until standard input ends or says {@code quit}. */
  public static void main(String[] args) throws Exception {
    String lanIp = args[0];
    String wanIp = args[1];
    // DNAT-ed connections pass the router's forward chain (policy drop) like established ones
    nft("insert rule inet labfilter labforward ct status dnat accept");
    nft("add table ip labupnp");
    nft("add chain ip labupnp pre { type nat hook prerouting priority -100 ; }");
    try (FakeGateway gw = new FakeGateway(InetAddress.getByName(lanIp), 1900)) {
      gw.externalIp = wanIp;
      gw.onTableChange =
          () -> {
            synchronized (gw) {
              Map<Integer, Map<String, String>> now = new TreeMap<>(gw.table);
              StringBuilder rules = new StringBuilder("flush chain ip labupnp pre\n");
              StringBuilder shown = new StringBuilder();
              now.forEach(
                  (port, row) -> {
                    String to = row.get("NewInternalClient") + ":" + row.get("NewInternalPort");
                    rules.append("add rule ip labupnp pre ip daddr ").append(wanIp)
                        .append(" tcp dport ").append(port).append(" dnat to ").append(to)
                        .append('\n');
                    shown.append(shown.length() == 0 ? "" : ",");
                    shown.append(port).append("->").append(to);
                  });
              nftScript(rules.toString());
              say("mappings " + (shown.length() == 0 ? "none" : shown));
            }
          };
      say("ready " + lanIp);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.trim().equals("quit")) {
        say("error unknown command " + line.trim());
      }
    }
    System.exit(0);
  }

  private static void nft(String command) throws IOException, InterruptedException {
    nftScript(command + "\n");
  }

  private static void nftScript(String script) {
    try {
      Process p = new ProcessBuilder("nft", "-f", "-").redirectErrorStream(true).start();
      p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("nft failed: " + out + "\n" + script);
      }
    } catch (IOException e) {
      throw new IllegalStateException("nft failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
