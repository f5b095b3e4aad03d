package org.lotusia.node.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.musig2.p2p.SessionNetwork;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * A lab node's session network that can hold back its outbound session messages of one type
 * (never released: the node is about to be killed), so that a scenario stops a session at a known
 * step. Everything else passes through. Thread-safe.
 */
final class HoldingNetwork implements SessionNetwork {

  private final SessionNetwork inner;
  private volatile String heldType;

  HoldingNetwork(SessionNetwork inner) {
    this.inner = inner;
  }

  /** Holds every later outbound message whose type is {@code wireType}. */
  void hold(String wireType) {
    heldType = wireType;
  }

  @Override
  public CompletableFuture<Void> send(String peerId, P2PMessage message) {
    if (message.type().equals(heldType)) {
      return new CompletableFuture<>(); // held: the node is killed before it would be sent
    }
    return inner.send(peerId, message);
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
