package org.lotusia.musig2.p2p.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.p2p.SessionConfig;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.musig2.p2p.net.MuSig2Sessions;
import org.lotusia.p2p.coordinator.P2PConfig;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.PeerInfo;
import org.lotusia.p2p.coordinator.ProtocolHandler;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * One node of the soak network: a coordinator with a fixed identity and port, its MuSig2 binding
 * (which joins every announced session that lists its signer key) and its subscription to the soak
 * topic. {@link #stop()} and {@link #start()} are called by the churn thread only; the other
 * threads read {@link #live()}, {@link #stops()} and {@link #upSince()}.
 */
final class SoakNode {

  /** Routing key of the soak's direct messages. */
  static final String PROTOCOL = "soak";

  /** The topic every node subscribes to. */
  static final String TOPIC = "soak/traffic/1";

  private static final Duration WAIT = Duration.ofSeconds(60);

  final int index;
  final P2PCoordinator node;
  final PrivateKey signer;
  final byte[] signerPub;
  private final String peerId;
  private final SessionConfig sessionConfig;
  private final BiConsumer<Integer, TopicMessage> onTopic;
  private final BiConsumer<SoakNode, SessionEvent.SessionDiscovered> onDiscovered;
  private volatile MuSig2Sessions sessions;
  private volatile boolean live;
  private volatile long upSince;
  private final AtomicInteger stops = new AtomicInteger();
  /** Set while the node takes part in a session, so that churn leaves it alone. */
  final AtomicBoolean busy = new AtomicBoolean();

  SoakNode(
      int index,
      String peerId,
      P2PConfig config,
      PrivateKey signer,
      SessionConfig sessionConfig,
      BiConsumer<Integer, P2PMessage> onDirect,
      BiConsumer<Integer, TopicMessage> onTopic,
      BiConsumer<SoakNode, SessionEvent.SessionDiscovered> onDiscovered) {
    this.index = index;
    this.peerId = peerId;
    this.node = new P2PCoordinator(config);
    this.signer = signer;
    this.signerPub = signer.publicKeyBytes();
    this.sessionConfig = sessionConfig;
    this.onTopic = onTopic;
    this.onDiscovered = onDiscovered;
    // handlers are kept by the coordinator across restarts
    node.registerProtocol(
        new ProtocolHandler() {
          @Override
          public String protocolName() {
            return PROTOCOL;
          }

          @Override
          public void handleMessage(P2PMessage message, PeerInfo from) {
            onDirect.accept(index, message);
          }
        });
  }

  /** Starts the node (same identity, same port), subscribes the topic and binds MuSig2. */
  void start() throws Exception {
    node.start().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    node.subscribeToTopic(TOPIC, m -> onTopic.accept(index, m))
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    sessions =
        MuSig2Sessions.builder(node, signer)
            .config(sessionConfig)
            .listener(
                e -> {
                  if (e instanceof SessionEvent.SessionDiscovered d
                      && d.announcement().indexOf(signerPub) >= 0) {
                    onDiscovered.accept(this, d);
                  }
                })
            .build();
    upSince = System.nanoTime();
    live = true;
  }

  /** Stops the node; its sessions end with it. */
  void stop() throws Exception {
    live = false;
    stops.incrementAndGet();
    MuSig2Sessions s = sessions;
    sessions = null;
    CompletableFuture<Void> closed =
        s == null ? CompletableFuture.completedFuture(null) : s.closeAsync();
    node.stop().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  boolean live() {
    return live;
  }

  /** Whether the node has been up for at least {@code d}. */
  boolean upFor(Duration d) {
    return live && System.nanoTime() - upSince >= d.toNanos();
  }

  /** How many times the node was stopped: a change means it left in between. */
  int stops() {
    return stops.get();
  }

  /** The MuSig2 binding of the current run, or null while stopped. */
  MuSig2Sessions sessions() {
    return sessions;
  }

  /** The node's peer ID (its identity is fixed, so it is known while the node is stopped). */
  String peerId() {
    return peerId;
  }
}
