package org.lotusia.swapsig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The port through which SwapSig reaches the network: direct messages (lotus-sdk's {@code
 * P2PMessage} on {@code /lotus/message/1.0.0}, protocol {@code "swapsig"}), the pool topic and DHT
 * resources. {@link org.lotusia.swapsig.net.CoordinatorSwapSigNetwork} implements it over the
 * {@code P2PCoordinator}; tests implement it in memory.
 *
 * <p>Inbound traffic flows the other way: the implementation hands every direct message with
 * protocol {@code "swapsig"} to {@link SwapSigManager#deliverDirect} and every message of a
 * subscribed topic to {@link SwapSigManager#deliverTopic}, each with the peer ID the transport
 * authenticated (the Noise remote, the StrictSign author).
 *
 * <p>Threading: called from the manager's service thread; must not block; every returned future
 * completes (exceptionally when the peer cannot be reached), on any thread. Thread-safe.
 */
public interface SwapSigNetwork {

  /** @return this node's peer ID as others see it */
  String localPeerId();

  /** @return the clock for timestamps and deadlines */
  Clock clock();

  /**
   * @param peerId the target
   * @param message the envelope; ownership passes to the implementation
   * @return completes when written, exceptionally when the peer cannot be reached
   */
  CompletableFuture<Void> send(String peerId, P2PMessage message);

  /**
   * @param topic the topic
   * @param message a JSON object published as is
   * @return completes when published
   */
  CompletableFuture<Void> publish(String topic, ObjectNode message);

  /**
   * @param topic the topic whose messages go to {@link SwapSigManager#deliverTopic}
   * @return completes when subscribed
   */
  CompletableFuture<Void> subscribe(String topic);

  /**
   * Announces a DHT resource under {@code resource:<type>:<id>}.
   *
   * @param type the resource type
   * @param id the ID
   * @param data the value
   * @param expiresAtMillis its expiry
   * @return completes when stored or queued
   */
  CompletableFuture<Void> announceResource(String type, String id, ObjectNode data, long expiresAtMillis);

  /**
   * Stops announcing a resource of this node; other nodes stop finding it.
   *
   * @param type the resource type
   * @param id the ID
   * @return completes when withdrawn here (the network learns of it later)
   */
  CompletableFuture<Void> withdrawResource(String type, String id);

  /**
   * @param type the resource type
   * @param id the ID
   * @return the value, or empty
   */
  CompletableFuture<Optional<JsonNode>> findResource(String type, String id);

  /**
   * @param type the resource type
   * @return every live value of that type the network returns (bounded by the implementation)
   */
  CompletableFuture<List<JsonNode>> findResources(String type);
}
