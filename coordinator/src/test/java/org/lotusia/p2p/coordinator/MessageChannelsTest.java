package org.lotusia.p2p.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.p2p.coordinator.TestNodes.WAIT;
import static org.lotusia.p2p.coordinator.TestNodes.connect;
import static org.lotusia.p2p.coordinator.TestNodes.join;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.multiformats.Varint;
import org.lotusia.p2p.coordinator.MessagingTest.Recorder;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.P2PProtocol;
import org.lotusia.p2p.security.RejectReason;
import org.lotusia.p2p.security.SecurityLimits;

/**
 * Message channels between coordinators: many direct messages on one stream, in order, the
 * fallback to one stream per message, the idle close, and a raw host that abuses the channel
 * protocol (framing errors, too many channels, forged senders).
 */
class MessageChannelsTest {

  private final TestNodes nodes = new TestNodes();
  private Host raw;

  @AfterEach
  void close() {
    if (raw != null) {
      raw.closeAsync().join();
    }
    nodes.close();
  }

  private static PeerId peer(P2PCoordinator node) {
    return PeerId.parse(node.peerId());
  }

  private static int open(P2PCoordinator node, String protocol) {
    return node.networkComponents().orElseThrow().host().stats().protocol(protocol).openStreams();
  }

  /**
   * Connects {@code from} to {@code to} and waits until identify has run: {@code from} knows that
   * {@code to} speaks the channel protocol, so its next message goes on a channel.
   */
  private static void connectAndIdentify(P2PCoordinator from, P2PCoordinator to) {
    connect(from, to);
    await()
        .atMost(WAIT)
        .until(() -> from.peerStore().protocols(peer(to)).contains(ProtocolIds.MESSAGE_CHANNEL));
  }

  @Test
  void messagesBetweenCoordinatorsShareOneChannelAndArriveInOrder() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    Recorder chat = new Recorder("chat");
    bob.registerProtocol(chat);
    connectAndIdentify(alice, bob);

    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < 100; i++) { // the burst of the default message rate
      sends.add(alice.sendTo(bob.peerId(), alice.createMessage("m" + i, Map.of("i", i), "chat")));
    }
    sends.forEach(TestNodes::join);

    await().atMost(WAIT).until(() -> chat.messages.size() == 100);
    for (int i = 0; i < 100; i++) {
      assertThat(chat.messages.get(i).type()).isEqualTo("m" + i);
    }
    assertThat(alice.getStats().messages().channels()).isEqualTo(1);
    assertThat(alice.getStats().messages().sent()).isEqualTo(100);
    assertThat(bob.getStats().messages().received()).isEqualTo(100);
    // one channel stream at each end, and no stream of lotus-sdk's framing was opened
    assertThat(open(bob, ProtocolIds.MESSAGE_CHANNEL)).isEqualTo(1);
    assertThat(bob.networkComponents().orElseThrow().host().stats().protocol(ProtocolIds.MESSAGE).bytesRead())
        .isZero();
  }

  @Test
  void aPeerWithoutChannelsGetsOneStreamPerMessage() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start(b -> b.messageChannelIdle(Duration.ZERO));
    Recorder chat = new Recorder("chat");
    bob.registerProtocol(chat);
    connect(alice, bob);

    for (int i = 0; i < 5; i++) {
      join(alice.sendTo(bob.peerId(), alice.createMessage("m" + i, null, "chat")));
    }
    await().atMost(WAIT).until(() -> chat.messages.size() == 5);
    assertThat(alice.getStats().messages().channels()).isZero();
    assertThat(alice.peerStore().protocols(peer(bob))).doesNotContain(ProtocolIds.MESSAGE_CHANNEL);
    assertThat(bob.networkComponents().orElseThrow().host().stats().protocol(ProtocolIds.MESSAGE).bytesRead())
        .isPositive();
  }

  @Test
  void aBurstOfMessagesOnOneStreamEachIsPacedNotRefused() {
    // 300 sends at once to a receiver that takes 32 streams of the protocol at once, as a
    // lotus-sdk node (js-libp2p's default); the sender keeps at most 32 open, each until the
    // receiver closed it, and the rest wait. Without that, the messages of the streams refused
    // after their protocol was accepted were lost although their sends had completed.
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob =
        nodes.start(
            b ->
                b.messageChannelIdle(Duration.ZERO)
                    .resourceLimits(
                        org.lotusia.libp2p.ResourceLimits.builder()
                            .protocolStreams(ProtocolIds.MESSAGE, 32, 64)
                            .build())
                    .securityLimits(
                        SecurityLimits.builder().messageRatePerSecond(100_000).messageBurst(100_000).build()));
    Recorder chat = new Recorder("chat");
    bob.registerProtocol(chat);
    connect(alice, bob);

    List<CompletableFuture<Void>> sends = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      sends.add(alice.sendTo(bob.peerId(), alice.createMessage("m" + i, null, "chat")));
    }
    sends.forEach(TestNodes::join);
    await()
        .atMost(WAIT)
        .until(() -> chat.messages.size() == 300);
    assertThat(bob.networkComponents().orElseThrow().host().stats().refusals().streamsPerProtocol()).isZero();
  }

  @Test
  void anIdleChannelClosesAndTheNextMessageOpensAnother() {
    P2PCoordinator alice = nodes.start(b -> b.messageChannelIdle(Duration.ofMillis(500)));
    P2PCoordinator bob = nodes.start();
    Recorder chat = new Recorder("chat");
    bob.registerProtocol(chat);
    connectAndIdentify(alice, bob);

    join(alice.sendTo(bob.peerId(), alice.createMessage("first", null, "chat")));
    assertThat(alice.getStats().messages().channels()).isEqualTo(1);
    await().atMost(WAIT).until(() -> alice.getStats().messages().channels() == 0);
    await().atMost(WAIT).until(() -> open(bob, ProtocolIds.MESSAGE_CHANNEL) == 0);

    join(alice.sendTo(bob.peerId(), alice.createMessage("second", null, "chat")));
    await().atMost(WAIT).until(() -> chat.messages.size() == 2);
    assertThat(chat.messages.get(1).type()).isEqualTo("second");
  }

  @Test
  void aChannelResetByTheReceiverLosesNothing() {
    P2PCoordinator alice = nodes.start();
    P2PCoordinator bob = nodes.start();
    Recorder chat = new Recorder("chat");
    bob.registerProtocol(chat);
    connectAndIdentify(alice, bob);
    join(alice.sendTo(bob.peerId(), alice.createMessage("m0", null, "chat")));
    // bob drops every stream (as a node restarting its protocol would): the channel is reset
    Host bobHost = bob.networkComponents().orElseThrow().host();
    bobHost.connections(peer(alice)).forEach(c -> c.close());
    await().atMost(WAIT).until(() -> alice.getStats().messages().channels() == 0);
    connect(alice, bob);

    for (int i = 1; i < 20; i++) {
      join(alice.sendTo(bob.peerId(), alice.createMessage("m" + i, null, "chat")));
    }
    await().atMost(WAIT).until(() -> chat.messages.size() == 20);
  }

  // --- a raw host abusing the protocol

  private Stream channel(P2PCoordinator to) {
    if (raw == null) {
      raw = new HostBuilder().listen("/ip4/127.0.0.1/tcp/0").build();
      raw.start().join();
    }
    return join(raw.newStream(Multiaddr.parse(TestNodes.addr(to)), List.of(ProtocolIds.MESSAGE_CHANNEL)));
  }

  private static byte[] frames(byte[]... bodies) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] b : bodies) {
      out.writeBytes(Varint.encode(b.length));
      out.writeBytes(b);
    }
    return out.toByteArray();
  }

  private byte[] message(String type) {
    P2PProtocol p = P2PProtocol.defaults();
    return p.serialize(p.createMessage(type, null, raw.peerId().toBase58(), null, "app", null));
  }

  private static void awaitReset(Stream s) {
    await().atMost(WAIT).until(() -> s.closeFuture().isDone());
    assertThat(s.closeFuture()).isCompletedExceptionally();
  }

  @Test
  void framingErrorsResetTheChannelAfterDeliveringWhatCameBefore() {
    P2PCoordinator node = nodes.start();
    Recorder app = new Recorder("app");
    node.registerProtocol(app);

    // a valid message, then a length above the size cap, in one write
    Stream s1 = channel(node);
    byte[] tooLong = Varint.encode(P2PProtocol.DEFAULT_MAX_MESSAGE_SIZE + 1);
    s1.write(concat(frames(message("before-oversized")), tooLong));
    awaitReset(s1);
    // an empty frame
    Stream s2 = channel(node);
    s2.write(concat(frames(message("before-empty")), new byte[] {0}));
    awaitReset(s2);
    // a length that is not a minimal varint
    Stream s3 = channel(node);
    s3.write(new byte[] {(byte) 0x85, 0x00});
    awaitReset(s3);

    await().atMost(WAIT).until(() -> app.messages.size() == 2);
    assertThat(app.messages).extracting(P2PMessage::type).containsExactly("before-oversized", "before-empty");
  }

  @Test
  void aRefusedMessageIsDroppedAndTheChannelGoesOn() {
    P2PCoordinator node = nodes.start();
    Recorder app = new Recorder("app");
    node.registerProtocol(app);
    Stream s = channel(node);
    P2PProtocol p = P2PProtocol.defaults();
    byte[] forged = p.serialize(p.createMessage("forged", null, node.peerId(), null, "app", null));
    byte[] malformed = "{not json".getBytes(StandardCharsets.UTF_8);

    join(s.write(frames(forged, malformed, message("ok"))));

    await().atMost(WAIT).until(() -> app.messages.size() == 1);
    assertThat(app.messages.get(0).type()).isEqualTo("ok");
    var rejections = node.securityManager().getMetrics().rejectionsByReason();
    assertThat(rejections.get(RejectReason.SENDER_MISMATCH)).isEqualTo(1);
    assertThat(rejections.get(RejectReason.MESSAGE_MALFORMED)).isEqualTo(1);
    assertThat(s.isOpen()).isTrue();
    join(s.write(frames(message("still-open"))));
    await().atMost(WAIT).until(() -> app.messages.size() == 2);
  }

  @Test
  void aPeerMayKeepOnlyFourChannelsOpen() {
    P2PCoordinator node = nodes.start();
    Recorder app = new Recorder("app");
    node.registerProtocol(app);
    List<Stream> kept = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Stream s = channel(node);
      join(s.write(frames(message("on-" + i))));
      kept.add(s);
    }
    await().atMost(WAIT).until(() -> app.messages.size() == 4);

    Stream fifth = channel(node);
    fifth.write(frames(message("fifth")));
    awaitReset(fifth);

    // the four stay usable; closing one makes room for another
    join(kept.get(0).write(frames(message("again"))));
    await().atMost(WAIT).until(() -> app.messages.size() == 5);
    join(kept.get(1).close());
    await().atMost(WAIT).until(() -> open(node, ProtocolIds.MESSAGE_CHANNEL) == 3);
    Stream another = channel(node);
    join(another.write(frames(message("another"))));
    await().atMost(WAIT).until(() -> app.messages.size() == 6);
    assertThat(app.messages).extracting(P2PMessage::type).doesNotContain("fifth");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
