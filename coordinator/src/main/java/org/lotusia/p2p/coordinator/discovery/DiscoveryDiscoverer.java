package org.lotusia.p2p.coordinator.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.TopicMessage;
import org.lotusia.p2p.coordinator.internal.SerialQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds advertisements (lotus-sdk's {@code DHTDiscoverer}): follows protocol topics on GossipSub,
 * searches the DHT, validates everything it receives with the {@link DiscoverySecurityValidator},
 * keeps what was accepted in a {@link DiscoveryCache}, and tells subscriptions and listeners.
 *
 * <ul>
 *   <li>{@link #subscribe}: live advertisements of a protocol matching some criteria, delivered to
 *       a callback; any number of subscriptions per topic, each closed on its own.
 *   <li>{@link #discover}: the cache and the DHT (the {@code discovery-advertisement} resources of
 *       every node, filtered by protocol), ordered by the reputation kept for each advertiser.
 *   <li>{@link #addListener}: {@link DiscoveryEvent}s (discovered, updated, expired).
 * </ul>
 *
 * <p>Acceptance is decided by the validator alone (signature, publisher binding, time, replay,
 * rate, reputation kept here); the reputation an advertisement claims plays no part. A newer
 * version of a cached advertisement (same peer and ID, later {@code createdAt}) replaces it; a
 * withdrawal notice removes it. This node's own advertisements are not cached.
 *
 * <p>Threading: thread-safe. Network input is validated on the coordinator's callback executor
 * (one topic handler per topic); callbacks and listeners run there too, each on its own bounded
 * queue. Futures complete on the callback executor (or the caller's thread when nothing had to be
 * awaited) and always complete.
 */
public final class DiscoveryDiscoverer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryDiscoverer.class);

  /** The resource type of advertisements in the DHT. */
  public static final String RESOURCE_TYPE = "discovery-advertisement";

  /** How the cache changed for an advertisement. */
  private enum Change {
    NEW,
    UPDATE
  }

  private final DiscoveryNetwork network;
  private final DiscoverySecurityValidator validator;
  private final DiscoveryCache cache;
  private final DiscoveryOptions options;
  private final ScheduledExecutorService scheduler;
  private final TopicFeeds feeds;
  private final Map<String, DiscoverySubscription> subscriptions = new ConcurrentHashMap<>();
  private final Listeners<DiscoveryEvent> listeners;
  private final AtomicLong nextId = new AtomicLong();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder received = new LongAdder();
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder malformed = new LongAdder();
  private final LongAdder droppedDeliveries = new LongAdder();
  private volatile boolean closed;

  DiscoveryDiscoverer(
      DiscoveryNetwork network,
      DiscoverySecurityValidator validator,
      DiscoveryCache cache,
      DiscoveryOptions options,
      ScheduledExecutorService scheduler) {
    this.network = network;
    this.validator = validator;
    this.cache = cache;
    this.options = options;
    this.scheduler = scheduler;
    this.feeds = new TopicFeeds(network, scheduler, this::onTopicMessage);
    this.listeners =
        new Listeners<>("discovery listener", network::callbacks, scheduler, options.queueCapacity());
  }

  // --- subscriptions

  /**
   * Subscribes with the default options (existing advertisements too, each delivered once).
   *
   * @param criteria what to match
   * @param callback receives each matching advertisement
   * @return the subscription, once its topic is joined
   */
  public CompletableFuture<DiscoverySubscription> subscribe(
      DiscoveryCriteria criteria, Consumer<DiscoveryAdvertisement> callback) {
    return subscribe(criteria, callback, SubscribeOptions.DEFAULT);
  }

  /**
   * Subscribes to the advertisements of {@code criteria.protocol()} that match the criteria. With
   * {@code fetchExisting}, the matching cached advertisements are delivered first, and a DHT
   * search runs in the background (what it finds is delivered as it is accepted).
   *
   * @param criteria what to match
   * @param callback receives each matching advertisement (see {@link DiscoverySubscription})
   * @param subscribeOptions what to deliver
   * @return the subscription, once its topic is joined; fails when joining fails (for example
   *     {@link IllegalStateException} when the node is not running)
   */
  public CompletableFuture<DiscoverySubscription> subscribe(
      DiscoveryCriteria criteria,
      Consumer<DiscoveryAdvertisement> callback,
      SubscribeOptions subscribeOptions) {
    Objects.requireNonNull(criteria, "criteria");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(subscribeOptions, "subscribeOptions");
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    String id = "sub-" + nextId.incrementAndGet();
    SerialQueue queue =
        new SerialQueue(
            "discovery subscription " + id,
            network.callbacks(),
            scheduler,
            options.queueCapacity(),
            t -> LOG.warn("callback of discovery subscription {} threw; it keeps receiving", id, t));
    DiscoverySubscription sub =
        new DiscoverySubscription(
            id, criteria, subscribeOptions, network.clock().millis(), queue, callback, this::removed);
    synchronized (this) {
      subscriptions.put(id, sub);
      if (subscribeOptions.fetchExisting()) {
        // Taken under the lock that also orders arrivals: nothing is both here and delivered later.
        for (DiscoveryAdvertisement ad : cachedMatches(criteria, Integer.MAX_VALUE)) {
          if (!sub.offer(ad)) {
            droppedDeliveries.increment();
          }
        }
      }
    }
    return feeds
        .acquire(criteria.protocol())
        .handle(
            (v, e) -> {
              if (e != null) {
                subscriptions.remove(id);
                feeds.release(criteria.protocol());
                throw e instanceof CompletionException c ? c : new CompletionException(e);
              }
              if (subscribeOptions.fetchExisting()) {
                discover(criteria); // what the DHT adds is delivered as it is accepted
              }
              return sub;
            });
  }

  private void removed(DiscoverySubscription sub) {
    if (subscriptions.remove(sub.id()) != null) {
      feeds.release(sub.criteria().protocol());
    }
  }

  /**
   * The active subscriptions.
   *
   * @return a snapshot
   */
  public List<DiscoverySubscription> subscriptions() {
    return List.copyOf(subscriptions.values());
  }

  /** Follows a protocol's topic without a callback (fills the cache for {@code discover}). */
  CompletableFuture<Void> listen(String protocol) {
    return feeds.acquire(protocol);
  }

  void runningChanged(boolean up) {
    feeds.runningChanged(up);
  }

  /**
   * Whether the topic of a protocol is joined now.
   *
   * @param protocol the protocol
   * @return true while a subscription or the system follows it and the node runs
   */
  public boolean isListening(String protocol) {
    return feeds.attached(protocol);
  }

  // --- discovery

  /**
   * Finds the advertisements matching the criteria: the cache, plus the {@code
   * discovery-advertisement} resources of the protocol found in the DHT within the discover
   * timeout (each validated and cached like a GossipSub one). Best first: highest reputation kept
   * for the advertiser, then newest; at most {@code criteria.maxResults()}.
   *
   * @param criteria what to match
   * @return the matches; never fails because of the network (the cache answers alone then)
   */
  public CompletableFuture<List<DiscoveryAdvertisement>> discover(DiscoveryCriteria criteria) {
    Objects.requireNonNull(criteria, "criteria");
    if (closed) {
      return CompletableFuture.failedFuture(closedError());
    }
    if (cachedMatches(criteria, 1).isEmpty()) {
      misses.increment();
    } else {
      hits.increment();
    }
    CompletableFuture<List<ResourceAnnouncement>> search;
    if (!network.dhtEnabled()) {
      search = CompletableFuture.completedFuture(List.of());
    } else {
      Duration timeout = options.discoverTimeout().orElseGet(network::discoverTimeout);
      try {
        search = network.discoverResources(RESOURCE_TYPE, "protocol", criteria.protocol(), timeout);
      } catch (IllegalStateException notRunning) {
        search = CompletableFuture.completedFuture(List.of());
      }
    }
    return search.handle(
        (found, e) -> {
          if (e != null) {
            LOG.debug("DHT search for {} advertisements failed: {}", criteria.protocol(), e.toString());
          } else {
            for (ResourceAnnouncement r : found) {
              fromResource(r, criteria.protocol());
            }
          }
          return cached(criteria);
        });
  }

  /**
   * The cached advertisements matching the criteria, without asking the network; ordered and
   * bounded like {@link #discover}.
   *
   * @param criteria what to match
   * @return the matches
   */
  public List<DiscoveryAdvertisement> cached(DiscoveryCriteria criteria) {
    return cachedMatches(criteria, criteria.maxResults().orElse(Integer.MAX_VALUE));
  }

  private List<DiscoveryAdvertisement> cachedMatches(DiscoveryCriteria criteria, int max) {
    long now = network.clock().millis();
    record Scored(DiscoveryAdvertisement ad, double reputation) {}
    List<Scored> matches = new ArrayList<>();
    for (DiscoveryCacheEntry e : cache.entries()) {
      DiscoveryAdvertisement ad = e.advertisement();
      if (!ad.protocol().equals(criteria.protocol()) || stale(ad, now) != null) {
        continue;
      }
      double rep = validator.reputation(ad.peerInfo().peerId());
      if (criteria.matches(ad, rep)) {
        matches.add(new Scored(ad, rep));
      }
    }
    matches.sort(
        Comparator.comparingDouble(Scored::reputation)
            .reversed()
            .thenComparing(Comparator.comparingLong((Scored s) -> s.ad().createdAt()).reversed()));
    List<DiscoveryAdvertisement> out = new ArrayList<>(Math.min(max, matches.size()));
    for (int i = 0; i < matches.size() && i < max; i++) {
      out.add(matches.get(i).ad());
    }
    return out;
  }

  /**
   * The cache entry of an advertisement (with the key that verified it).
   *
   * @param key the advertisement's key
   * @return the entry, if cached
   */
  public Optional<DiscoveryCacheEntry> cacheEntry(AdvertisementKey key) {
    return cache.get(key);
  }

  // --- input

  /**
   * Validates and caches an advertisement the application received some other way (lotus-sdk's
   * {@code 'direct'} source), and tells subscriptions and listeners as for network input.
   *
   * @param ad the advertisement
   * @param fromPeer the peer it came from over an authenticated channel (then it must be the
   *     advertiser), or {@code null} to rely on the signature alone
   * @return the validator's verdict
   */
  public ValidationVerdict accept(DiscoveryAdvertisement ad, String fromPeer) {
    return ingest(ad, AdvertisementSource.DIRECT, fromPeer);
  }

  private void onTopicMessage(String protocol, TopicMessage m) {
    if (closed) {
      return;
    }
    received.increment();
    String author = m.from().orElse(null);
    DiscoveryAdvertisement ad;
    try {
      ad = AdvertisementJson.read(m.data(), options.limits());
      if (!ad.protocol().equals(protocol)) {
        throw new IllegalArgumentException(
            "advertisement of protocol " + ad.protocol() + " on the topic of " + protocol);
      }
    } catch (IllegalArgumentException e) {
      malformed.increment();
      if (author != null) {
        validator.recordMalformed(author, e.getMessage());
      }
      return;
    }
    if (!isSelf(ad.peerInfo().peerId())) {
      validateAndApply(ad, AdvertisementSource.GOSSIPSUB, author);
    }
  }

  private void fromResource(ResourceAnnouncement r, String protocol) {
    if (!r.authenticated()) {
      return; // an unsigned (lotus-sdk) record cannot be bound to its creator
    }
    DiscoveryAdvertisement ad;
    try {
      ad = AdvertisementJson.fromTree(r.data(), options.limits());
      if (!ad.id().equals(r.resourceId())) {
        throw new IllegalArgumentException(
            "resource " + r.resourceId() + " holds advertisement " + ad.id());
      }
    } catch (IllegalArgumentException e) {
      received.increment();
      malformed.increment();
      validator.recordMalformed(r.creatorPeerId(), e.getMessage());
      return;
    }
    if (ad.protocol().equals(protocol) && !isSelf(ad.peerInfo().peerId())) {
      ingest(ad, AdvertisementSource.DHT, r.creatorPeerId());
    }
  }

  private ValidationVerdict ingest(DiscoveryAdvertisement ad, AdvertisementSource source, String publisher) {
    received.increment();
    return validateAndApply(ad, source, publisher);
  }

  private ValidationVerdict validateAndApply(
      DiscoveryAdvertisement ad, AdvertisementSource source, String publisher) {
    ValidationVerdict v = validator.validate(ad, source, publisher);
    if (!v.accepted()) {
      refused.increment();
      return v;
    }
    accepted.increment();
    // This node's own advertisements are validated (the caller learns the verdict) but not cached.
    // A repeat of an accepted version goes in too when the cache lost it (cleared or evicted).
    if (!closed && !isSelf(ad.peerInfo().peerId())) {
      apply(ad, source, v.signerKey().get());
    }
    return v;
  }

  private boolean isSelf(String peerId) {
    try {
      return peerId.equals(network.selfId());
    } catch (IllegalStateException neverStarted) {
      return false;
    }
  }

  /** Puts a newly accepted version into the cache and tells whoever is interested. */
  private synchronized void apply(DiscoveryAdvertisement ad, AdvertisementSource source, EcPoint key) {
    long now = network.clock().millis();
    Optional<DiscoveryCacheEntry> old = cache.get(ad.key());
    DiscoveryAdvertisement prev = old.map(DiscoveryCacheEntry::advertisement).orElse(null);
    if (prev != null && prev.createdAt() >= ad.createdAt()) {
      return; // the cache already holds this or a newer version (restored from an external cache)
    }
    if (ad.isWithdrawal()) {
      if (prev != null) {
        cache.remove(ad.key());
        publish(new DiscoveryEvent.Expired(prev, DiscoveryEvent.Expired.Reason.WITHDRAWN));
      }
      return;
    }
    long addedAt = old.map(DiscoveryCacheEntry::addedAt).orElse(now);
    cache.put(new DiscoveryCacheEntry(ad, source, key, addedAt, now));
    publish(prev == null ? new DiscoveryEvent.Discovered(ad, source) : new DiscoveryEvent.Updated(prev, ad, source));
    fanOut(ad, prev, prev == null ? Change.NEW : Change.UPDATE);
  }

  private void fanOut(DiscoveryAdvertisement ad, DiscoveryAdvertisement prev, Change change) {
    double rep = validator.reputation(ad.peerInfo().peerId());
    for (DiscoverySubscription s : subscriptions.values()) {
      DiscoveryCriteria c = s.criteria();
      if (!c.matches(ad, rep)) {
        continue;
      }
      if (change == Change.NEW || s.options().includeUpdates() || !c.matches(prev, rep)) {
        if (!s.offer(ad)) {
          droppedDeliveries.increment();
        }
      }
    }
  }

  // --- expiry

  /**
   * Drops cached advertisements that expired or grew older than the policy's maximum age, and
   * reports each as {@link DiscoveryEvent.Expired}. Runs every {@code sweepInterval}; callable at
   * any time (tests with a stepped clock).
   *
   * @return how many were dropped
   */
  public synchronized int removeExpired() {
    long now = network.clock().millis();
    int n = 0;
    for (DiscoveryCacheEntry e : cache.entries()) {
      DiscoveryEvent.Expired.Reason why = stale(e.advertisement(), now);
      if (why != null) {
        cache.remove(e.key());
        publish(new DiscoveryEvent.Expired(e.advertisement(), why));
        n++;
      }
    }
    return n;
  }

  private DiscoveryEvent.Expired.Reason stale(DiscoveryAdvertisement ad, long now) {
    if (ad.isExpired(now)) {
      return DiscoveryEvent.Expired.Reason.EXPIRED;
    }
    if (now - ad.createdAt() > validator.policy().maxAdvertisementAge().toMillis()) {
      return DiscoveryEvent.Expired.Reason.TOO_OLD;
    }
    return null;
  }

  /**
   * Empties the cache for a protocol (without events).
   *
   * @param protocol the protocol
   * @return how many were removed
   */
  public int clearCache(String protocol) {
    return cache.clear(protocol);
  }

  // --- events

  /**
   * Adds a listener of {@link DiscoveryEvent}s. It runs on the coordinator's callback executor,
   * one event at a time and in order; beyond {@code queueCapacity} events behind, events for it
   * are dropped and counted. A listener that throws is logged and keeps receiving.
   *
   * @param listener the listener
   * @return the registration that removes it
   */
  public Registration addListener(Consumer<DiscoveryEvent> listener) {
    return listeners.add(listener);
  }

  private void publish(DiscoveryEvent event) {
    listeners.publish(event);
  }

  // --- statistics and life cycle

  /**
   * Counters and sizes.
   *
   * @return the statistics
   */
  public DiscoveryStats stats() {
    return new DiscoveryStats(
        cache.size(),
        hits.sum(),
        misses.sum(),
        received.sum(),
        accepted.sum(),
        refused.sum(),
        malformed.sum(),
        subscriptions.size(),
        droppedDeliveries.sum(),
        listeners.dropped());
  }

  /** Closes every subscription and leaves every topic; the cache is kept. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (DiscoverySubscription s : subscriptions.values()) {
      s.close();
    }
    feeds.close();
    listeners.clear();
  }

  private static DiscoveryException closedError() {
    return new DiscoveryException(DiscoveryException.Type.CLOSED, "discovery system is closed", null);
  }
}
