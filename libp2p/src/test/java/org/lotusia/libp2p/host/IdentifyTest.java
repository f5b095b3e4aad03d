package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.identify.Identify;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.lotusia.libp2p.record.PeerRecord;

class IdentifyTest {

  private final Hosts hosts = new Hosts();

  @AfterEach
  void stop() {
    hosts.close();
  }

  @Test
  void identifyReportsObservedAddressAndSignedRecord() {
    Host a = hosts.start(Stack.TCP_NOISE);
    Host b = hosts.start(Stack.TCP_NOISE);
    CompletableFuture<IdentifyInfo> atA = new CompletableFuture<>();
    a.addListener(
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            atA.complete(info);
          }
        });
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    IdentifyInfo info = join(atA);
    assertThat(info.protocolVersion()).isEqualTo("ipfs/0.1.0");
    assertThat(info.agentVersion()).startsWith("lotus-p2p-java/");
    assertThat(info.publicKey()).isEqualTo(b.identity().publicKey());
    assertThat(info.listenAddrs()).containsExactly(b.listenAddresses().get(0).withoutPeerId());
    // b saw a's ephemeral TCP address: the local address of a's connection.
    assertThat(info.observedAddr()).contains(c.localAddress());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> a.observedAddresses().contains(c.localAddress()));
    PeerRecord record = PeerRecord.open(info.signedPeerRecord().orElseThrow());
    assertThat(record.peerId()).isEqualTo(b.peerId());
    assertThat(record.addresses()).containsExactly(b.listenAddresses().get(0).withoutPeerId());
  }

  @Test
  void protocolChangesArePushed() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    join(a.dial(b.listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> a.peerStore().protocols(b.peerId()).contains(Identify.PROTOCOL_ID));
    b.setStreamHandler("/test/new/1.0.0", s -> s.reset());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> a.peerStore().protocols(b.peerId()).contains("/test/new/1.0.0"));
    b.removeStreamHandler("/test/new/1.0.0");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !a.peerStore().protocols(b.peerId()).contains("/test/new/1.0.0"));
  }

  @Test
  void throwingListenerDoesNotBreakTheHost() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT);
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    CompletableFuture<Connection> second = new CompletableFuture<>();
    a.addListener(
        new HostListener() {
          @Override
          public void connectionOpened(Connection connection) {
            throw new IllegalStateException("listener bug");
          }
        });
    a.addListener(
        new HostListener() {
          @Override
          public void connectionOpened(Connection connection) {
            second.complete(connection);
          }
        });
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    assertThat(join(second)).isSameAs(c);
    assertThat(
            join(a.newStream(c, new org.lotusia.libp2p.protocol.ping.Ping())).stream().protocol())
        .isEqualTo("/ipfs/ping/1.0.0");
    assertThat(a.connections()).containsExactly(c);
    assertThat(List.copyOf(a.connections(b.peerId()))).containsExactly(c);
  }

  @Test
  void oversizedIdentifyIsRejectedAndTheConnectionStaysUsable() {
    Host a = hosts.start(Stack.MEMORY_PLAINTEXT, x -> x.maxIdentifyMessage(1024));
    Host b = hosts.start(Stack.MEMORY_PLAINTEXT);
    // b answers identify with 4 KiB of junk instead of a message.
    b.setStreamHandler(
        Identify.PROTOCOL_ID, s -> s.write(new byte[4096]).thenCompose(v -> s.closeWrite()));
    List<IdentifyInfo> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    a.addListener(
        new HostListener() {
          @Override
          public void identifyCompleted(Connection connection, IdentifyInfo info) {
            seen.add(info);
          }
        });
    Connection c = join(a.dial(b.listenAddresses().get(0)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> c.streams().isEmpty() && b.peerStore().agentVersion(a.peerId()).isPresent());
    assertThat(seen).isEmpty();
    assertThat(a.peerStore().agentVersion(b.peerId())).isEmpty();
    assertThat(join(join(a.newStream(c, new org.lotusia.libp2p.protocol.ping.Ping())).ping()))
        .isPositive();
  }

  @Test
  void malformedIdentifyMessagesAreProtocolViolations() {
    org.lotusia.libp2p.crypto.IdentityPrivateKey key = org.lotusia.libp2p.crypto.Keys.generateEd25519();
    org.lotusia.libp2p.PeerId peer = org.lotusia.libp2p.PeerId.fromPublicKey(key.publicKey());
    IdentifyInfo info =
        new IdentifyInfo(
            "ipfs/0.1.0",
            "x",
            key.publicKey(),
            List.of(),
            java.util.Optional.empty(),
            List.of("/a"),
            java.util.Optional.empty());
    byte[] good = org.lotusia.libp2p.protocol.identify.IdentifyCodec.encode(info);
    assertThat(
            org.lotusia.libp2p.protocol.identify.IdentifyCodec.decode(good, peer, null, false)
                .protocols())
        .containsExactly("/a");
    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                org.lotusia.libp2p.protocol.identify.IdentifyCodec.decode(
                    truncated, peer, null, false))
        .isInstanceOf(org.lotusia.libp2p.ProtocolViolationException.class)
        .hasMessageContaining("length prefix");
    org.lotusia.libp2p.PeerId other =
        org.lotusia.libp2p.PeerId.fromPublicKey(
            org.lotusia.libp2p.crypto.Keys.generateEd25519().publicKey());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                org.lotusia.libp2p.protocol.identify.IdentifyCodec.decode(good, other, null, false))
        .isInstanceOf(org.lotusia.libp2p.ProtocolViolationException.class)
        .hasMessageContaining("does not match");
  }
}
