package org.lotusia.p2p.coordinator.resource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.multiformats.Multihash;
import org.lotusia.libp2p.protocol.kad.KadDht;
import org.lotusia.p2p.coordinator.AnnounceOptions;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.internal.Context;
import org.lotusia.p2p.coordinator.internal.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts this node's announcements into the DHT and keeps them there: the first put (or a queue
 * entry while the routing table is empty, flushed when it fills), renewal of TTL announcements
 * every half TTL (re-signed with a new {@code createdAt} and {@code expiresAt}), re-publication of
 * the others every {@code republishInterval} (those without expiry re-signed, so their age stays
 * under {@code maxRecordAge}), and a provider record per resource type so that {@code
 * discoverResources} can find the providers of a type.
 *
 * <p>A resource is never put twice within the security manager's minimum announcement interval:
 * DHT servers refuse faster re-announcements, so a quick second announcement is held back until
 * the interval has passed.
 *
 * <p>A withdrawn resource that reached the DHT is put once more, as a withdrawal record: the same
 * resource re-signed with an expiry {@link #WITHDRAWN_LIFETIME} after it is put (held back by the
 * same interval). Storing peers replace their copy with it, so readers stop finding the resource
 * shortly after, and the announcing node's quota slot at each storing peer is freed when that
 * record expires instead of when the original would have (an hour for one without expiry).
 *
 * <p>Threading: {@link #tick()} runs on the service scheduler; {@link #publishNow} may be called
 * from any thread. The queue and schedule are guarded by {@code this}.
 */
public final class ResourcePublisher {

  private static final Logger LOG = LoggerFactory.getLogger(ResourcePublisher.class);

  private final Context ctx;
  private final LocalResources local;
  private final Map<String, Long> nextPublish = new ConcurrentHashMap<>();
  private final Map<String, Long> lastPut = new ConcurrentHashMap<>();
  private final Map<String, Long> queued = new LinkedHashMap<>();
  private final Map<String, ResourceAnnouncement> withdrawals = new LinkedHashMap<>();
  private final Set<String> providedTypes = ConcurrentHashMap.newKeySet();

  /**
   * How long a withdrawal record lives after it is put: long enough to be valid at storing peers
   * whose clocks are a few seconds ahead, short enough that the resource disappears soon.
   */
  public static final Duration WITHDRAWN_LIFETIME = Duration.ofSeconds(10);

  /**
   * Creates the publisher for one run.
   *
   * @param ctx the run
   * @param local the cache holding the own announcements
   */
  public ResourcePublisher(Context ctx, LocalResources local) {
    this.ctx = ctx;
    this.local = local;
  }

  /**
   * The provider-record key of a resource type: the SHA-256 multihash of {@code
   * lotus/resource-type/<type>}.
   *
   * @param type the type
   * @return the key bytes
   */
  public static byte[] typeKey(String type) {
    return Multihash.sha256(("lotus/resource-type/" + type).getBytes(StandardCharsets.UTF_8))
        .toBytes();
  }

  /**
   * Publishes an own announcement now (or queues it) and schedules its renewal.
   *
   * @param a the signed announcement, already in the cache
   * @param options how it lives
   * @return completes when the DHT put finished or the announcement was queued; fails when the put
   *     reached no peer (it is retried at the next re-publication)
   */
  public CompletableFuture<Void> publishNow(ResourceAnnouncement a, AnnounceOptions options) {
    synchronized (this) {
      withdrawals.remove(a.key()); // announced again: nothing to withdraw
    }
    nextPublish.put(a.key(), nextTime(a, options));
    if (ctx.dht().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    KadDht dht = ctx.dht().get();
    long now = ctx.clock().millis();
    Long last = lastPut.get(a.key());
    long minInterval = ctx.security().limits().minDhtAnnouncementInterval().toMillis();
    if (dht.routingTableSize() == 0 || (last != null && now - last < minInterval)) {
      enqueue(a.key(), now);
      return CompletableFuture.completedFuture(null);
    }
    return put(dht, a);
  }

  private CompletableFuture<Void> put(KadDht dht, ResourceAnnouncement a) {
    lastPut.put(a.key(), ctx.clock().millis());
    CompletableFuture<Void> provided = provideType(dht, a.resourceType());
    CompletableFuture<Void> put =
        dht.put(a.key().getBytes(StandardCharsets.UTF_8), ResourceCodec.encode(a))
            // servers count the interval from when the record reached them, which is after the put
            // started (its lookup came first) but before it completed: counting from the completion,
            // the next put can never reach a server too early
            .whenComplete((peers, e) -> lastPut.put(a.key(), ctx.clock().millis()))
            .thenAccept(
                peers -> {
                  if (peers.isEmpty()) {
                    throw new IllegalStateException(
                        "no DHT peer stored " + a.key() + "; retried at the next re-publication");
                  }
                });
    return CompletableFuture.allOf(put, provided.exceptionally(e -> null));
  }

  private CompletableFuture<Void> provideType(KadDht dht, String type) {
    if (!providedTypes.add(type)) {
      return CompletableFuture.completedFuture(null);
    }
    return dht.provide(typeKey(type))
        .handle(
            (peers, e) -> {
              if (e != null || peers.isEmpty()) {
                providedTypes.remove(type); // try again at the next put of this type
                LOG.debug("provider record of type {} not stored: {}", type, e);
              }
              return null;
            });
  }

  private synchronized void enqueue(String key, long now) {
    queued.remove(key);
    if (queued.size() >= ctx.config().resources().announcementQueueSize()) {
      Iterator<String> oldest = queued.keySet().iterator();
      String dropped = oldest.next();
      oldest.remove();
      error("announcement queue full; " + dropped + " waits for the next re-publication", "queue-overflow", null);
    }
    queued.put(key, now);
  }

  /** Forgets an expired own resource. */
  public void forget(String key) {
    nextPublish.remove(key);
    lastPut.remove(key);
    synchronized (this) {
      queued.remove(key);
      withdrawals.remove(key);
    }
  }

  /**
   * Stops publishing a withdrawn own resource and, if it was put into the DHT, schedules its
   * withdrawal record (see the class description); nothing is put when the resource expires
   * within {@link #WITHDRAWN_LIFETIME} anyway.
   *
   * @param a the withdrawn announcement
   */
  public void withdraw(ResourceAnnouncement a) {
    String key = a.key();
    nextPublish.remove(key);
    long now = ctx.clock().millis();
    boolean reachedDht = lastPut.containsKey(key);
    boolean expiresSoon =
        a.expiresAt().isPresent()
            && a.expiresAt().getAsLong() <= now + WITHDRAWN_LIFETIME.toMillis();
    synchronized (this) {
      queued.remove(key);
      if (reachedDht && !expiresSoon) {
        withdrawals.put(key, a);
      }
    }
    flushWithdrawals(now);
  }

  /**
   * Re-publications that are due, then the queue when the DHT can take it. Runs on the scheduler.
   */
  public void tick() {
    long now = ctx.clock().millis();
    for (LocalResources.Entry e : local.own()) {
      ResourceAnnouncement a = e.announcement();
      Long due = nextPublish.get(a.key());
      if (due == null || now < due) {
        continue;
      }
      if (a.isExpired(now)) {
        local.removeOwn(a.key());
        forget(a.key());
        continue;
      }
      ResourceAnnouncement next = renewed(a, e.options(), now);
      local.putOwn(next, e.options());
      if (next != a) {
        ctx.events().publish(new P2PEvent.ResourceAnnounced(next, true, ctx.now()));
      }
      publishNow(next, e.options())
          .whenComplete(
              (v, err) -> {
                if (err != null) {
                  error("re-publication of " + next.key() + " failed", "republish-failed", err);
                }
              });
    }
    flushQueue(now);
    flushWithdrawals(now);
  }

  /** Puts the withdrawal records whose interval has passed; forgets what is done. */
  private void flushWithdrawals(long now) {
    if (ctx.dht().isEmpty()) {
      return;
    }
    long minInterval = ctx.security().limits().minDhtAnnouncementInterval().toMillis();
    Map<String, ResourceAnnouncement> ready = new LinkedHashMap<>();
    synchronized (this) {
      for (Iterator<ResourceAnnouncement> it = withdrawals.values().iterator(); it.hasNext(); ) {
        ResourceAnnouncement a = it.next();
        Long last = lastPut.get(a.key());
        if (last == null || now - last >= minInterval) {
          it.remove();
          ready.put(a.key(), a);
        }
      }
    }
    for (ResourceAnnouncement a : ready.values()) {
      ResourceAnnouncement w = resigned(a, now, OptionalLong.of(now + WITHDRAWN_LIFETIME.toMillis()));
      lastPut.put(a.key(), now); // an announcement again right after still waits for the interval
      ctx.dht()
          .get()
          .put(a.key().getBytes(StandardCharsets.UTF_8), ResourceCodec.encode(w))
          .whenComplete(
              (peers, e) -> {
                lastPut.computeIfPresent(a.key(), (k, t) -> ctx.clock().millis());
                if (e != null) {
                  LOG.debug("withdrawal record of {} not stored: {}", a.key(), e.toString());
                }
              });
    }
    // forget the put times of keys neither published nor withdrawn once their interval has passed
    synchronized (this) {
      lastPut.entrySet().removeIf(e -> now - e.getValue() >= minInterval
          && !nextPublish.containsKey(e.getKey()) && !withdrawals.containsKey(e.getKey()));
    }
  }

  private void flushQueue(long now) {
    if (ctx.dht().isEmpty() || ctx.dht().get().routingTableSize() == 0) {
      return;
    }
    long ttl = ctx.config().resources().announcementQueueTtl().toMillis();
    long minInterval = ctx.security().limits().minDhtAnnouncementInterval().toMillis();
    Map<String, Long> ready = new LinkedHashMap<>();
    synchronized (this) {
      for (Iterator<Map.Entry<String, Long>> it = queued.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<String, Long> q = it.next();
        Long last = lastPut.get(q.getKey());
        if (now - q.getValue() > ttl) {
          it.remove();
          error("announcement of " + q.getKey() + " waited longer than announcementQueueTtl", "queue-expired", null);
        } else if (last == null || now - last >= minInterval) {
          it.remove();
          ready.put(q.getKey(), q.getValue());
        }
      }
    }
    for (String key : ready.keySet()) {
      Optional<LocalResources.Entry> e = local.get(key, now);
      e.ifPresent(
          entry ->
              put(ctx.dht().get(), entry.announcement())
                  .whenComplete(
                      (v, err) -> {
                        if (err != null) {
                          error("queued announcement of " + key + " failed", "publish-failed", err);
                        }
                      }));
    }
  }

  /** The announcement to publish at a re-publication: renewed and re-signed where needed. */
  private ResourceAnnouncement renewed(ResourceAnnouncement a, AnnounceOptions o, long now) {
    if (o.expiresAt() != null) {
      return a; // a fixed end: the same record again
    }
    OptionalLong exp = o.ttl() == null ? OptionalLong.empty() : OptionalLong.of(now + o.ttl().toMillis());
    return resigned(a, now, exp);
  }

  /** The same resource, created {@code now} with the given expiry and signed again. */
  private ResourceAnnouncement resigned(ResourceAnnouncement a, long now, OptionalLong expiresAt) {
    ResourceAnnouncement fresh =
        new ResourceAnnouncement(
            a.resourceId(), a.resourceType(), a.creatorPeerId(), a.data(), now, expiresAt, null,
            false);
    return ResourceSigner.sign(fresh, ctx.host().identity());
  }

  private long nextTime(ResourceAnnouncement a, AnnounceOptions o) {
    Duration every =
        o.ttl() != null ? o.ttl().dividedBy(2) : ctx.config().resources().republishInterval();
    return a.createdAt() + every.toMillis();
  }

  /**
   * Announcements waiting for the DHT.
   *
   * @return the count
   */
  public synchronized int queueSize() {
    return queued.size();
  }

  private void error(String message, String code, Throwable cause) {
    LOG.debug("{}: {}", message, cause == null ? "" : Futures.unwrap(cause).toString());
    ctx.events()
        .publish(
            new P2PEvent.Error(
                message, code, Optional.ofNullable(cause).map(Futures::unwrap), ctx.now()));
  }
}
