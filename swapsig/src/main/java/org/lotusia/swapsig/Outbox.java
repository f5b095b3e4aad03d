package org.lotusia.swapsig;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.PoolMessage;

/**
 * Signs pool messages, wraps them in lotus-sdk's envelope and sends them; a message to this node
 * itself (a creator that also takes part) is delivered locally without the network. Thread-safe.
 */
final class Outbox {

  /** Local delivery of a message this node sends to itself. */
  @FunctionalInterface
  interface Loopback {
    boolean deliver(String fromPeerId, P2PMessage message);
  }

  private final SwapSigNetwork network;
  private final Clock clock;
  private final SecureRandom random;
  private final Loopback loopback;

  Outbox(SwapSigNetwork network, Clock clock, SecureRandom random, Loopback loopback) {
    this.network = network;
    this.clock = clock;
    this.random = random;
    this.loopback = loopback;
  }

  /**
   * Signs and sends a message.
   *
   * @param peerId the receiver
   * @param message the payload
   * @param key the sender's key
   * @return completes when written
   */
  CompletableFuture<Void> send(String peerId, PoolMessage message, PrivateKey key) {
    return send(peerId, envelope(message, key, null));
  }

  /**
   * Sends a message through a relay: the envelope names the final receiver in {@code to} and goes
   * to {@code viaPeerId}, which passes it on unchanged.
   */
  CompletableFuture<Void> sendVia(String viaPeerId, String toPeerId, PoolMessage message, PrivateKey key) {
    return send(viaPeerId, envelope(message, key, toPeerId));
  }

  /** Sends an envelope as it is (relaying). */
  CompletableFuture<Void> send(String peerId, P2PMessage envelope) {
    if (peerId.equals(network.localPeerId())) {
      return loopback.deliver(peerId, envelope)
          ? CompletableFuture.completedFuture(null)
          : CompletableFuture.failedFuture(new IllegalStateException("local inbound queue is full"));
    }
    return network.send(peerId, envelope);
  }

  /**
   * Passes a participant's message on to another participant in an envelope of this node: the
   * coordinator binds an envelope's {@code from} to the peer that delivers it, so the original
   * envelope cannot travel on; the payload, signed by its author, is kept unchanged.
   */
  CompletableFuture<Void> forward(P2PMessage original) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    P2PMessage out =
        new P2PMessage(
            original.type(),
            network.localPeerId(),
            original.to(),
            original.payload(),
            clock.millis(),
            HexFormat.of().formatHex(id),
            null,
            SwapSigMessageTypes.PROTOCOL);
    return send(original.to(), out);
  }

  P2PMessage envelope(PoolMessage message, PrivateKey key, String to) {
    ObjectNode payload = message.signedJson(key);
    byte[] id = new byte[16];
    random.nextBytes(id);
    return new P2PMessage(
        message.type(),
        network.localPeerId(),
        to,
        payload,
        clock.millis(),
        HexFormat.of().formatHex(id),
        null,
        SwapSigMessageTypes.PROTOCOL);
  }
}
