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
  void secureWebSocketAddressesGoToWebSocket() {
    for (String a :
        new String[] {
          "/ip4/127.0.0.1/tcp/443/wss",
          "/ip4/127.0.0.1/tcp/443/tls/ws",
          "/ip4/127.0.0.1/tcp/443/tls/sni/example.com/ws" + ID,
          "/dns4/example.com/tcp/443/wss" + ID
        }) {
      assertThat(ws.canDial(ma(a))).as(a).isTrue();
      assertThat(tcp.canDial(ma(a))).as(a).isFalse();
    }
    assertThat(ws.canDial(ma("/ip4/127.0.0.1/tcp/443/tls"))).isFalse();
    assertThat(ws.canDial(ma("/ip4/127.0.0.1/tcp/443/tls/http"))).isFalse();
    assertThat(ws.canListen(ma("/ip4/0.0.0.0/tcp/0/wss"))).isTrue();
    assertThat(ws.canListen(ma("/ip4/0.0.0.0/tcp/0/tls/ws"))).isTrue();
  }

  @Test
  void wsAddressParts() {
    WsAddress sni = WsAddress.of(ma("/ip4/10.0.0.1/tcp/443/tls/sni/node.example/ws" + ID)).get();
    assertThat(sni.secure()).isTrue();
    assertThat(sni.verifiedHost()).isEqualTo("node.example");
    assertThat(sni.suffix()).isEqualTo("/tls/sni/node.example/ws");
    assertThat(sni.uri().toString()).isEqualTo("wss://10.0.0.1:443/");
    WsAddress v6 = WsAddress.of(ma("/ip6/::1/tcp/8443/wss")).get();
    assertThat(v6.verifiedHost()).isEqualTo("::1");
    assertThat(v6.uri().toString()).isEqualTo("wss://[::1]:8443/");
    assertThat(WsAddress.of(ma("/ip4/10.0.0.1/tcp/80/ws")).get().secure()).isFalse();
    assertThat(WsAddress.of(ma("/ip4/10.0.0.1/tcp/80/ws" + ID + "/p2p-circuit"))).isEmpty();
  }
}
