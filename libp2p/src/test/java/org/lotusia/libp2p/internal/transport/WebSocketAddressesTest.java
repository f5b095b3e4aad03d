package org.lotusia.libp2p.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.WebSocketOptions;

/** Which addresses the WebSocket and TCP transports claim, so that a host picks the right one. */
class WebSocketAddressesTest {

  private final WebSocketTransport ws = new WebSocketTransport(WebSocketOptions.DEFAULT);
  private final TcpTransport tcp = new TcpTransport();
  private static final String ID = "/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";

  private static Multiaddr ma(String s) {
    return Multiaddr.parse(s);
  }

  @Test
  void wsAddressesGoToWebSocketOnly() {
    for (String a :
        new String[] {
          "/ip4/127.0.0.1/tcp/4001/ws",
          "/ip4/127.0.0.1/tcp/4001/ws" + ID,
          "/ip6/::1/tcp/4001/ws",
          "/dns4/example.com/tcp/443/ws"
        }) {
      assertThat(ws.canDial(ma(a))).as(a).isTrue();
      assertThat(tcp.canDial(ma(a))).as(a).isFalse();
    }
  }

  @Test
  void tcpAddressesGoToTcpOnly() {
    for (String a : new String[] {"/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/tcp/4001" + ID}) {
      assertThat(ws.canDial(ma(a))).as(a).isFalse();
      assertThat(tcp.canDial(ma(a))).as(a).isTrue();
    }
  }

  @Test
  void listenNeedsAnIpAndAcceptsPortZero() {
    assertThat(ws.canListen(ma("/ip4/0.0.0.0/tcp/0/ws"))).isTrue();
    assertThat(ws.canListen(ma("/ip6/::/tcp/0/ws"))).isTrue();
    assertThat(ws.canListen(ma("/dns4/example.com/tcp/80/ws"))).isFalse();
    assertThat(ws.canListen(ma("/ip4/0.0.0.0/tcp/0"))).isFalse();
    assertThat(ws.canDial(ma("/ip4/127.0.0.1/tcp/0/ws"))).isFalse();
  }

  @Test
  void secureWebSocketIsClaimedOnlyToBeRefused() {
    for (String a : new String[] {"/ip4/127.0.0.1/tcp/443/wss", "/ip4/127.0.0.1/tcp/443/tls/ws"}) {
      assertThat(ws.canDial(ma(a))).as(a).isTrue();
      assertThat(ws.dial(ma(a), null, null, java.time.Duration.ofSeconds(1)))
          .failsWithin(java.time.Duration.ofSeconds(1))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .havingCause()
          .isInstanceOf(IllegalArgumentException.class)
          .withMessageContaining("not supported");
      assertThat(tcp.canDial(ma(a))).as(a).isFalse();
    }
    assertThat(ws.canDial(ma("/ip4/127.0.0.1/tcp/443/tls"))).isFalse();
  }
}
