package org.lotusia.libp2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;

/**
 * TCP with port reuse (the default, for hole punching): a port another listener holds is refused
 * like a plain bind would refuse it, and dials leave from the listen port.
 */
class TcpPortReuseTest {

  @Test
  void aPortAlreadyListenedOnIsRefusedDespitePortReuse() throws Exception {
    Host first = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    first.start().get(30, TimeUnit.SECONDS);
    try {
      String port = first.listenAddresses().get(0).toString().split("/")[4];
      Host second = new HostBuilder().listen("/ip4/127.0.0.1/tcp/" + port).build();
      try {
        assertThatThrownBy(() -> second.start().get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasMessageContaining("address already in use: /127.0.0.1:" + port);
      } finally {
        second.closeAsync().get(30, TimeUnit.SECONDS);
      }
    } finally {
      first.closeAsync().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void dialsLeaveFromTheListenPort() throws Exception {
    Host a = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    Host b = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
    a.start().get(30, TimeUnit.SECONDS);
    b.start().get(30, TimeUnit.SECONDS);
    try {
      Multiaddr target = b.listenAddresses().get(0);
      var conn = a.dial(target).get(30, TimeUnit.SECONDS);
      String aPort = a.listenAddresses().get(0).toString().split("/")[4];
      assertThat(conn.localAddress().toString()).endsWith("/tcp/" + aPort);
    } finally {
      a.closeAsync().get(30, TimeUnit.SECONDS);
      b.closeAsync().get(30, TimeUnit.SECONDS);
    }
  }
}
