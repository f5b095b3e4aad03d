package org.lotusia.musig2.p2p.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.musig2.p2p.wire.MessageType;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * Wraps one node's network port so a test can see what it sends and make it misbehave: drop a
 * message (it reports success, as a message lost on the way would), hold messages of a type until a
 * gate opens, or rewrite a message. Thread-safe.
 */
final class ShapedNetwork implements SessionNetwork {

  /** One outbound message as the session layer handed it over. */
  record Sent(String peer, P2PMessage message) {
    boolean is(MessageType t) {
      return message.type().equals(t.wire());
    }
  }

  private final SessionNetwork inner;
  final List<Sent> sent = new CopyOnWriteArrayList<>();
  volatile BiFunction<String, P2PMessage, P2PMessage> rewrite = (peer, m) -> m;
  volatile MessageType heldType;
  volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

  ShapedNetwork(SessionNetwork inner) {
    this.inner = inner;
  }

  /** Holds every outbound message of a type until the returned gate is completed. */
  CompletableFuture<Void> hold(MessageType type) {
    CompletableFuture<Void> g = new CompletableFuture<>();
    gate = g;
    heldType = type;
    return g;
  }

  /** Drops every outbound message of a type. */
  void drop(MessageType type) {
    rewrite = (peer, m) -> m.type().equals(type.wire()) ? null : m;
  }

  @Override
  public CompletableFuture<Void> send(String peerId, P2PMessage message) {
    sent.add(new Sent(peerId, message));
    P2PMessage out = rewrite.apply(peerId, message);
    if (out == null) {
      return CompletableFuture.completedFuture(null);
    }
    MessageType held = heldType;
    if (held != null && message.type().equals(held.wire())) {
      return gate.thenCompose(v -> inner.send(peerId, out));
    }
    return inner.send(peerId, out);
  }

  @Override
  public String localPeerId() {
    return inner.localPeerId();
  }

  @Override
  public Clock clock() {
    return inner.clock();
  }

  @Override
  public CompletableFuture<Void> publish(String topic, ObjectNode message) {
    return inner.publish(topic, message);
  }

  @Override
  public CompletableFuture<Void> subscribe(String topic) {
    return inner.subscribe(topic);
  }

  @Override
  public CompletableFuture<Void> announceResource(
      String type, String id, ObjectNode data, long expiresAtMillis) {
    return inner.announceResource(type, id, data, expiresAtMillis);
  }

  @Override
  public CompletableFuture<Void> withdrawResource(String type, String id) {
    return inner.withdrawResource(type, id);
  }

  @Override
  public CompletableFuture<Optional<JsonNode>> findResource(String type, String id) {
    return inner.findResource(type, id);
  }
}
