package org.lotusia.musig2.p2p;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.LotusSchnorr;
import org.lotusia.chain.crypto.Secp256k1;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.protocol.P2PMessage;

/**
 * The narrow port through which MuSig2 sessions reach the network. The P2P coordinator implements
 * it over libp2p (direct messages on {@code /lotus/message/1.0.0} with lotus-sdk's
 * one-JSON-object-per-stream framing, GossipSub, DHT resources); tests implement it in memory. The
 * session layer never sees a socket, a stream or a libp2p type.
 *
 * <p>Inbound traffic flows the other way: the implementation hands every direct message with
 * protocol {@code "musig2"} to {@link SessionManager#deliverDirect} and every message of a
 * subscribed topic to {@link SessionManager#deliverTopic}, each with the peer ID that the transport
 * authenticated (the Noise remote for a direct message, the StrictSign author for a topic message).
 *
 * <p>Threading: methods are called from the session manager's thread and must not block; every
 * returned future must complete (successfully, or exceptionally when the peer cannot be reached or
 * the operation fails), on any thread. Implementations must be thread-safe.
 */
public interface SessionNetwork {

  /**
   * @return the local node's peer ID, as remote peers see it in {@code from}
   */
  String localPeerId();

  /**
   * @return the clock for timestamps, expiry and timeouts (shared with the scheduler the manager
   *     is given, so that tests can step both)
   */
  Clock clock();

  /**
   * Sends one message to one peer. Ownership of the message (and its payload tree) passes to the
   * implementation, which must not modify it.
   *
   * @param peerId the target peer ID
   * @param message the envelope
   * @return completes when the message was written to the peer, exceptionally if the peer could
   *     not be reached (the session layer then relays through the session creator)
   */
  CompletableFuture<Void> send(String peerId, P2PMessage message);

  /**
   * Publishes a raw JSON object (no envelope) on a GossipSub topic, as lotus-sdk's {@code
   * publishToTopic} does.
   *
   * @param topic the topic
   * @param message the object; ownership passes to the implementation
   * @return completes when published
   */
  CompletableFuture<Void> publish(String topic, ObjectNode message);

  /**
   * Subscribes to a topic; its messages are then delivered to {@link
   * SessionManager#deliverTopic}.
   *
   * @param topic the topic
   * @return completes when subscribed
   */
  CompletableFuture<Void> subscribe(String topic);

  /**
   * Stores a resource in the DHT under lotus-sdk's key {@code resource:<type>:<id>}.
   *
   * @param type the resource type
   * @param id the resource ID
   * @param data the JSON value; ownership passes to the implementation
   * @param expiresAtMillis when the resource expires
   * @return completes when announced
   */
  CompletableFuture<Void> announceResource(
      String type, String id, ObjectNode data, long expiresAtMillis);

  /**
   * Withdraws a resource this node announced.
   *
   * @param type the resource type
   * @param id the resource ID
   * @return completes when withdrawn
   */
  CompletableFuture<Void> withdrawResource(String type, String id);

  /**
   * Looks up a resource in the DHT.
   *
   * @param type the resource type
   * @param id the resource ID
   * @return the stored value, or empty if none is found
   */
  CompletableFuture<Optional<JsonNode>> findResource(String type, String id);

  /**
   * Signs a 32-byte digest with a participant's signing key. The default is Lotus Schnorr
   * (RFC 6979 nonce), what lotus-sdk uses for its signatures; an implementation may route it to a
   * key store.
   *
   * @param key the participant's signer key
   * @param digest32 the digest
   * @return the 64-byte signature
   */
  default byte[] sign(PrivateKey key, byte[] digest32) {
    return key.signSchnorr(digest32);
  }

  /**
   * Verifies a participant's signature. Must return false, not throw, for malformed input. The
   * default decodes the key and calls {@link #verify(EcPoint, byte[], byte[])}, the method an
   * implementation overrides.
   *
   * @param publicKey33 the signer key
   * @param digest32 the digest
   * @param signature64 the signature
   * @return whether it verifies
   */
  default boolean verify(byte[] publicKey33, byte[] digest32, byte[] signature64) {
    EcPoint key;
    try {
      key = Secp256k1.defaultProvider().decode(publicKey33);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return verify(key, digest32, signature64);
  }

  /**
   * Verifies a participant's signature under a decoded key (Lotus Schnorr by default). A session
   * decodes each signer's key once and passes the same point for every message of that signer, so
   * that the curve provider's per-point tables are computed once. Must return false, not throw, for
   * malformed input.
   *
   * @param publicKey the signer key
   * @param digest32 the digest
   * @param signature64 the signature
   * @return whether it verifies
   */
  default boolean verify(EcPoint publicKey, byte[] digest32, byte[] signature64) {
    return LotusSchnorr.verify(signature64, publicKey, digest32);
  }
}
