package org.lotusia.p2p.coordinator;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Resources announced in the DHT under {@code resource:<type>:<id>} (lotus-sdk's scheme), signed by
 * their creators, with lifetimes, and discoverable by type across the network.
 */
public interface Resources {

  /**
   * Announces a resource that never expires; see {@link #announceResource(String, String, Object,
   * AnnounceOptions)}.
   *
   * @param type the type
   * @param id the ID
   * @param data the data
   * @return the signed announcement
   */
  CompletableFuture<ResourceAnnouncement> announceResource(String type, String id, Object data);

  /**
   * Announces a resource: signed with this node's identity, cached, stored in the DHT under {@code
   * resource:<type>:<id>} (queued until the routing table has peers), listed for {@link
   * #discoverResources}, and kept published as the options say. Works in DHT client mode too.
   *
   * @param type the type
   * @param id the ID
   * @param data any value Jackson can write
   * @param options its lifetime
   * @return the signed announcement once stored in the DHT or queued; fails when the DHT put
   *     reached no peer (the announcement stays and is re-published)
   */
  CompletableFuture<ResourceAnnouncement> announceResource(
      String type, String id, Object data, AnnounceOptions options);

  /**
   * Stops announcing a resource of this node. A copy that reached the DHT is replaced by a
   * withdrawal record (the resource signed again with an expiry 10 s after it is put, no sooner than
   * the security manager's minimum announcement interval after the last put), so other nodes stop
   * finding it within that time and the storing peers free this node's quota slot for it then,
   * instead of when the original expires. Other nodes that run an older version of this SDK or
   * lotus-sdk keep their copy until it expires.
   *
   * @param type the type
   * @param id the ID
   * @return whether it was announced
   */
  boolean withdrawResource(String type, String id);

  /**
   * Finds a resource by type and ID, within the configured discover timeout. This node's own come
   * from its cache, other nodes' from the DHT; a cached copy is the answer only when the lookup
   * fails or times out.
   *
   * @param type the type
   * @param id the ID
   * @return the announcement, or empty when none was found
   */
  CompletableFuture<Optional<ResourceAnnouncement>> discoverResource(String type, String id);

  /**
   * Finds a resource by type and ID: the freshest valid copy in the DHT, else the cache.
   *
   * @param type the type
   * @param id the ID
   * @param timeout the deadline
   * @return the announcement, or empty
   */
  CompletableFuture<Optional<ResourceAnnouncement>> discoverResource(
      String type, String id, Duration timeout);

  /**
   * Finds every live resource of a type announced by any node of the network.
   *
   * @param type the type
   * @return the announcements
   */
  CompletableFuture<List<ResourceAnnouncement>> discoverResources(String type);

  /**
   * Finds every live resource of a type whose data match the filters (each filter member must be
   * present in the data with an equal value; data that is not a JSON object is not filtered).
   *
   * @param type the type
   * @param filters member name to value (any value Jackson can write)
   * @param timeout the deadline
   * @return the best announcement of each key found
   */
  CompletableFuture<List<ResourceAnnouncement>> discoverResources(
      String type, Map<String, ?> filters, Duration timeout);

  /**
   * A resource in the local cache (own or discovered, unexpired).
   *
   * @param type the type
   * @param id the ID
   * @return the announcement, or empty
   */
  Optional<ResourceAnnouncement> getResource(String type, String id);

  /**
   * Resources of a type in the local cache.
   *
   * @param type the type
   * @param filters member name to value
   * @return the announcements
   */
  List<ResourceAnnouncement> getLocalResources(String type, Map<String, ?> filters);
}
