package org.lotusia.libp2p.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.lotusia.libp2p.netlab.NetLab.Namespace;
import org.lotusia.libp2p.netlab.NetLab.NatType;

/**
 * UPnP through a real NAT in network namespaces: a home node behind an nftables masquerade router
 * whose UPnP gateway ({@link LabGateway}) applies port mappings as DNAT rules. The node maps its
 * listen port, AutoNAT (the public relay's server dialling back through the router) confirms the
 * mapped address before it is advertised, a public peer that never met the node dials that address
 * directly, and closing the node deletes the mapping from the router. Skipped like {@link
 * NatTraversalLabTest} where namespaces cannot be made.
 */
class UpnpLabTest {

  private static final Duration STEP = Duration.ofSeconds(60);

  @Test
  @Timeout(300)
  void aMappedPortIsConfirmedByAutoNatAdvertisedAndDialledThroughTheNat() throws Exception {
    NatTraversalLabTest.requireLab();
    try (NetLab lab = new NetLab()) {
      NetLab.Segment pub = lab.segment("pub", "198.51.100");
      Namespace relayNs = lab.host("relay");
      lab.attach(relayNs, pub, 10);
      Namespace proberNs = lab.host("prober");
      lab.attach(proberNs, pub, 11);
      Namespace router = lab.host("rg");
      String wan = lab.attach(router, pub, 1);
      Namespace home = lab.host("home");
      String lan = lab.lan(router, home, "10.0.5");
      lab.router(router, wan, lan, NatType.ENDPOINT_INDEPENDENT);
      try (LabProcess relay =
              LabProcess.start(relayNs, LabNode.class, List.of("relay", "198.51.100.10", "4001"));
          LabProcess prober =
              LabProcess.start(proberNs, LabNode.class, List.of("relay", "198.51.100.11", "4001"));
          LabProcess gateway =
              LabProcess.start(router, LabGateway.class, List.of("10.0.5.1", "198.51.100.1"))) {
        String relayAddr = relay.expect("ready", STEP).split(" ")[2];
        prober.expect("ready", STEP);
        gateway.expect("ready", STEP);
        try (LabProcess node =
            LabProcess.start(
                home, LabNode.class, List.of("upnp", "10.0.5.2", "4301", relayAddr, "10.0.5.1"))) {
          String id = node.expect("ready", STEP).split(" ")[1];
          String mapped = "/ip4/198.51.100.1/tcp/4301";

          assertThat(gateway.expect("mappings", STEP)).isEqualTo("mappings 4301->10.0.5.2:4301");
          assertThat(node.expect("upnp", STEP)).startsWith("upnp " + mapped + " ");
          // advertised only after AutoNAT's dial-back through the router succeeded
          assertThat(node.expect("advertised", STEP)).startsWith("advertised " + mapped + " ");

          // a public peer with no connection to the node dials the mapped address directly
          assertThat(prober.call("dial " + mapped + "/p2p/" + id, STEP))
              .isEqualTo("dial relayed=false");

          node.send("quit");
          assertThat(gateway.expect("mappings", STEP)).isEqualTo("mappings none");
          node.expect("quit", STEP);
        }
      }
    }
  }
}
