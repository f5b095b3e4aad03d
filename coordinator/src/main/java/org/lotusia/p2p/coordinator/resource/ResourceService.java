package org.lotusia.p2p.coordinator.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.libp2p.protocol.kad.KadPeer;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.ProtocolIds;
import org.lotusia.p2p.coordinator.RequestException;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.internal.Context;
import org.lotusia.p2p.coordinator.internal.Futures;
import org.lotusia.p2p.coordinator.internal.Json;
import org.lotusia.p2p.coordinator.internal.PeerTracker;
import org.lotusia.p2p.coordinator.internal.RequestService;
import org.lotusia.p2p.protocol.P2PMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resources over the DHT (reference section 2.7, corrected): announce, discover by key, discover
 * every resource of a type across the network, the local cache, and the listing protocol that makes
 * type-wide discovery possible.
 *
 * <p>Type-wide discovery ({@code discoverResources}): every node that announces a resource of a
 * type also puts a provider record for the type key ({@link ResourcePublisher#typeKey}); a reader
 * finds the providers of the type in the DHT and asks each for its announcements of that type
 * over {@code /lotus/resources/1.0.0} (a request/response with lotus-sdk's framing). Every record
 * received is checked like a DHT record (signature, expiry, key), so a provider cannot forge
 * another node's resources. lotus-sdk nodes neither provide nor serve listings, so their resources
 * are found by key ({@code discoverResource}) only.
 *
 * <p>Threading: methods may be called from any thread; futures complete on the callback executor.
 */
public final class ResourceService {

  private static final Logger LOG = LoggerFactory.getLogger(ResourceService.class);
  private static final String LIST_TYPE = "resources:list";
  private static final int MAX_PROVIDERS = 20;

  private final Context ctx;
  private final LocalResources local;
  private final ResourceRecordPolicy policy;
  private final ResourcePublisher publisher;
  private final RequestService requests;
  private final PeerTracker peers;

  /**
   * Creates the service for one run.
   *
   * @param ctx the run
   * @param local the cache (kept across runs)
   * @param policy the record rules
   * @param requests request/response, for listings
   * @param peers the peer table
   */
  public ResourceService(
      Context ctx,
      LocalResources local,
      ResourceRecordPolicy policy,
      RequestService requests,
      PeerTracker peers) {
    this.ctx = ctx;
    this.local = local;
    this.policy = policy;
    this.requests = requests;
    this.peers = peers;
    this.publisher = new ResourcePublisher(ctx, local);
  }

  /** Serves the listing protocol and re-publishes the own resources kept from an earlier run. */
  public void start() {
    requests.serve(ProtocolIds.RESOURCES, (request, from) -> listing(request));
    for (LocalResources.Entry e : local.own()) {
      publisher.publishNow(e.announcement(), e.options());
    }
  }

  /**
   * The publisher (for its timer).
   *
   * @return the publisher
   */
  public ResourcePublisher publisher() {
    return publisher;
  }

  /**
   * Announces a resource: signs it, caches it, puts it into the DHT (or queues it until the
   * routing table has peers), adds the type's provider record and keeps it published.
   *
   * @param type the resource type
   * @param id the resource ID
   * @param data the data (any value Jackson can write)
   * @param options how long it lives
   * @return the signed announcement, once the DHT put finished or was queued
   */
  public CompletableFuture<ResourceAnnouncement> announce(
      String type, String id, Object data, AnnounceOptions options) {
    ResourceCodec.checkTypeAndId(type, id);
    JsonNode tree = Json.toTree(data);
    long now = ctx.clock().millis();
    OptionalLong expiresAt = OptionalLong.empty();
    if (options.ttl() != null) {
      expiresAt = OptionalLong.of(now + options.ttl().toMillis());
    } else if (options.expiresAt() != null) {
      long end = options.expiresAt().toEpochMilli();
      if (end <= now) {
        throw new IllegalArgumentException(
            "expiresAt " + options.expiresAt() + " is not in the future");
      }
      expiresAt = OptionalLong.of(end);
    }
    ResourceAnnouncement a =
        ResourceSigner.sign(
            new ResourceAnnouncement(id, type, ctx.selfId(), tree, now, expiresAt, null, false),
            ctx.host().identity());
    local.putOwn(a, options);
    ctx.events().publish(new P2PEvent.ResourceAnnounced(a, false, ctx.now()));
    return publisher.publishNow(a, options).thenApply(v -> a);
  }

  /**
   * Withdraws an own announcement: it is no longer renewed, listed or re-published, and a copy that
   * reached the DHT is replaced by a withdrawal record that expires soon (see {@link
   * ResourcePublisher#withdraw}).
   *
   * @param type the type
   * @param id the ID
   * @return whether this node had announced it
   */
  public boolean withdraw(String type, String id) {
    Optional<LocalResources.Entry> own = local.removeOwn(ResourceCodec.key(type, id));
    own.ifPresent(e -> publisher.withdraw(e.announcement()));
    return own.isPresent();
  }

  /**
   * Finds a resource by key: this node's own from the cache, others from the DHT (so a fresher
   * copy wins over a cached one, and a withdrawn or expired one is not found), the cache only when
   * the lookup fails.
   *
   * @param type the type
   * @param id the ID
   * @param timeout the deadline of the DHT lookup
   * @return the announcement, or empty
   */
  public CompletableFuture<Optional<ResourceAnnouncement>> discover(
      String type, String id, Duration timeout) {
    ResourceCodec.checkTypeAndId(type, id);
    String key = ResourceCodec.key(type, id);
    long now = ctx.clock().millis();
    Optional<LocalResources.Entry> cached = local.get(key, now);
    if (cached.isPresent() && cached.get().own() || ctx.dht().isEmpty()) {
      return CompletableFuture.completedFuture(cached.map(LocalResources.Entry::announcement));
    }
    byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<Optional<ResourceAnnouncement>> lookup =
        ctx.dht()
            .get()
            .get(keyBytes)
            .thenApply(v -> v.map(bytes -> accept(policy.check(keyBytes, bytes))));
    return Futures.within(lookup, timeout, ctx, "lookup of " + key)
        .handle(
            (found, e) -> {
              if (e == null) {
                // the DHT answered: what it holds is the truth, also when that is nothing (the
                // resource was withdrawn or expired; a cached copy is stale)
                return found;
              }
              LOG.debug("lookup of {} failed: {}", key, Futures.unwrap(e).toString());
              return local.get(key, ctx.clock().millis()).map(LocalResources.Entry::announcement);
            });
  }

  /**
   * Finds every live resource of a type that matches the filters: this node's cache, then the
   * listings of every provider of the type in the DHT.
   *
   * @param type the type
   * @param filters member name to required value of the data
   * @param timeout the deadline of the whole search
   * @return the best announcement of each key found, own ones included
   */
  public CompletableFuture<List<ResourceAnnouncement>> discoverAll(
      String type, Map<String, JsonNode> filters, Duration timeout) {
    ResourceCodec.checkTypeAndId(type, "x");
    Map<String, ResourceAnnouncement> found = new LinkedHashMap<>();
    for (ResourceAnnouncement a : local.matching(type, filters, false, ctx.clock().millis())) {
      found.put(a.key(), a);
    }
    if (ctx.dht().isEmpty()) {
      return CompletableFuture.completedFuture(List.copyOf(found.values()));
    }
    KadDht dht = ctx.dht().get();
    CompletableFuture<List<ResourceAnnouncement>> search =
        dht.findProviders(ResourcePublisher.typeKey(type), MAX_PROVIDERS)
            .thenCompose(providers -> askAll(providers, type, filters, timeout));
    return Futures.within(search, timeout, ctx, "discovery of resources of type " + type)
        .handle(
            (remote, e) -> {
              if (e != null) {
                LOG.debug("discovery of type {} incomplete: {}", type, Futures.unwrap(e).toString());
              } else {
                for (ResourceAnnouncement a : remote) {
                  ResourceAnnouncement have = found.get(a.key());
                  if (have == null || ResourceRecordPolicy.isBetter(a, have)) {
                    found.put(a.key(), a);
                  }
                }
              }
              return List.copyOf(found.values());
            });
  }

  private CompletableFuture<List<ResourceAnnouncement>> askAll(
      List<KadPeer> providers, String type, Map<String, JsonNode> filters, Duration timeout) {
    List<CompletableFuture<List<ResourceAnnouncement>>> asks = new ArrayList<>();
    for (KadPeer p : providers) {
      if (p.id().equals(ctx.host().peerId())) {
        continue;
      }
      ctx.host().peerStore().addAddresses(p.id(), p.addresses(), Duration.ofMinutes(10));
      peers.discovered(p.id(), p.addresses());
      asks.add(
          ask(p.id(), type, filters, timeout)
              .exceptionallyCompose(e -> askAfterLookup(p.id(), type, filters, timeout))
              .exceptionally(e -> List.of()));
    }
    return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new))
        .thenApply(
            v -> {
              List<ResourceAnnouncement> all = new ArrayList<>();
              for (CompletableFuture<List<ResourceAnnouncement>> f : asks) {
                all.addAll(f.join());
              }
              return all;
            });
  }

  /** A provider record may hold old addresses (the provider restarted): look the peer up, ask again. */
  private CompletableFuture<List<ResourceAnnouncement>> askAfterLookup(
      PeerId provider, String type, Map<String, JsonNode> filters, Duration timeout) {
    return ctx.dht()
        .get()
        .findPeer(provider)
        .thenCompose(
            found -> {
              if (found.isEmpty()) {
                return CompletableFuture.failedFuture(
                    new IllegalStateException("provider " + provider + " not found"));
              }
              ctx.host().peerStore().addAddresses(provider, found.get().addresses(), Duration.ofMinutes(10));
              return ask(provider, type, filters, timeout);
            });
  }

  private CompletableFuture<List<ResourceAnnouncement>> ask(
      PeerId provider, String type, Map<String, JsonNode> filters, Duration timeout) {
    ObjectNode req = Json.MAPPER.createObjectNode().put("type", type);
    ObjectNode f = req.putObject("filters");
    filters.forEach(f::set);
    return requests
        .request(provider.toBase58(), ProtocolIds.RESOURCES, LIST_TYPE, req, timeout)
        .thenApply(resp -> readListing(resp, provider, type, filters));
  }

  private List<ResourceAnnouncement> readListing(
      JsonNode resp, PeerId provider, String type, Map<String, JsonNode> filters) {
    JsonNode list = resp.path("resources");
    if (!list.isArray()) {
      throw new RequestException("bad-response", "listing of " + provider + " has no resources array");
    }
    List<ResourceAnnouncement> out = new ArrayList<>();
    int max = ctx.config().resources().maxResourcesPerListing();
    for (JsonNode item : list) {
      if (out.size() >= max) {
        break;
      }
      try {
        ResourceAnnouncement a = ResourceCodec.fromTree(item);
        a = policy.check(a.key().getBytes(StandardCharsets.UTF_8), ResourceCodec.encode(a));
        if (a.resourceType().equals(type) && LocalResources.matches(a.data(), filters)) {
          out.add(accept(a));
        }
      } catch (IllegalArgumentException e) {
        LOG.debug("listing of {} holds an invalid record: {}", provider, e.getMessage());
      }
    }
    return out;
  }

  /** Answers a listing request with this node's own unexpired resources of the type. */
  private JsonNode listing(P2PMessage request) {
    JsonNode payload = request.payload();
    String type = payload == null ? null : payload.path("type").textValue();
    if (type == null) {
      throw new RequestException("bad-request", "a listing request needs a string 'type'");
    }
    try {
      ResourceCodec.checkTypeAndId(type, "x");
    } catch (IllegalArgumentException e) {
      throw new RequestException("bad-request", e.getMessage());
    }
    Map<String, JsonNode> filters = new LinkedHashMap<>();
    payload.path("filters").properties().forEach(e -> filters.put(e.getKey(), e.getValue()));
    ObjectNode resp = Json.MAPPER.createObjectNode();
    ArrayNode arr = resp.putArray("resources");
    List<ResourceAnnouncement> mine = local.matching(type, filters, true, ctx.clock().millis());
    for (ResourceAnnouncement a : mine.subList(0, Math.min(mine.size(), ctx.config().resources().maxResourcesPerListing()))) {
      arr.add(Json.parse(ResourceCodec.encode(a), "own record"));
    }
    return resp;
  }

  /** Caches a validated record found on the network and reports it. */
  private ResourceAnnouncement accept(ResourceAnnouncement a) {
    if (!a.creatorPeerId().equals(ctx.selfId()) && local.putDiscovered(a)) {
      ctx.events().publish(new P2PEvent.ResourceDiscovered(a, ctx.now()));
    }
    return a;
  }

  /**
   * A cached, unexpired resource.
   *
   * @param type the type
   * @param id the ID
   * @return the announcement, or empty
   */
  public Optional<ResourceAnnouncement> get(String type, String id) {
    return local
        .get(ResourceCodec.key(type, id), ctx.clock().millis())
        .map(LocalResources.Entry::announcement);
  }

  /**
   * Cached, unexpired resources of a type matching the filters.
   *
   * @param type the type
   * @param filters member name to required value
   * @return the announcements
   */
  public List<ResourceAnnouncement> getLocal(String type, Map<String, JsonNode> filters) {
    return local.matching(type, filters, false, ctx.clock().millis());
  }

  /**
   * Drops expired cache entries.
   *
   * @return how many were dropped
   */
  public int cleanup() {
    Collection<LocalResources.Entry> gone = local.removeExpired(ctx.clock().millis());
    for (LocalResources.Entry e : gone) {
      if (e.own()) {
        publisher.forget(e.announcement().key());
      }
    }
    return gone.size();
  }
}
