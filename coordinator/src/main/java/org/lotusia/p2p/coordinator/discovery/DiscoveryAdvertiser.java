package org.lotusia.p2p.coordinator.discovery;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.chain.crypto.EcPoint;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.coordinator.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's signed advertisements (lotus-sdk's {@code DHTAdvertiser}, with its bugs
 * fixed): each version is signed with the system's key (reference section 5.3), published on the
 * GossipSub topic {@code lotus/discovery/<protocol>} (up to {@code maxRetries} attempts) and
 * announced in the DHT as the resource {@code discovery-advertisement:<id>} (its transport JSON,
 * ending at {@code expiresAt}).
 *
 * <ul>
 *   <li>A refresh publishes a new version: new {@code createdAt} and {@code expiresAt}, current
 *       addresses, signed again (lotus-sdk extended {@code expiresAt} without re-signing, so every
 *       refreshed advertisement failed verification). Refreshes run every {@code refreshInterval}
 *       while the advertisement is active; a failed one is retried sooner and reported.
 *   <li>{@link #withdraw} stops refreshing, withdraws the DHT resource and publishes a withdrawal
 *       notice (a signed version with {@code expiresAt == createdAt}) so that receivers drop the
 *       advertisement at once; lotus-sdk receivers ignore the notice as expired.
 *   <li>Rate limit: at most {@code maxAdvertisementsPerWindow} versions per {@code
 *       rateLimitWindow}, counting advertisements, refreshes and withdrawal notices, which is what
 *       receivers count. lotus-sdk checked one tracker and incremented another; here the one
 *       window is checked and taken together. An automatic refresh waits for a free slot instead
 *       of failing.
 *   <li>Failures are reported: the future of {@link #advertise} or {@link #refresh} fails with an
 *       {@link AdvertisementPublishException} naming what failed (the advertisement stays active);
 *       automatic refreshes report through {@link AdvertiserEvent.PublishFailed}.
 * </ul>
 *
 * <p>Threading: thread-safe; the state is guarded by this object and timers run on the discovery
 * system's scheduler (signing happens there or on the caller's thread, never on a network thread).
 * Futures complete on the coordinator's callback executor (or the caller's thread when they fail at
 * once) and always complete.
 */
public final class DiscoveryAdvertiser implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoveryAdvertiser.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One active advertisement. */
  private static final class Active {
    final String id;
    final String protocol;
    final AdvertisementSpec spec;
    final Duration ttl;
    final boolean autoRefresh;
    DiscoveryAdvertisement current;
    ScheduledFuture<?> timer;
    /** The last publication; the next waits for it, so versions leave in order. */
    CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    Active(String id, String protocol, AdvertisementSpec spec, Duration ttl, boolean autoRefresh) {
      this.id = id;
      this.protocol = protocol;
      this.spec = spec;
      this.ttl = ttl;
      this.autoRefresh = autoRefresh;
    }
  }

  private final DiscoveryNetwork network;
  private final String defaultProtocol;
  private final PrivateKey key;
  private final DiscoveryOptions options;
  private final ScheduledExecutorService scheduler;
  private final RateWindow window;
  private final Map<String, Active> active = new LinkedHashMap<>();
  private final Listeners<AdvertiserEvent> listeners;
  private final AdvertisementPublisher publisher;
  private boolean closed;

  DiscoveryAdvertiser(
      DiscoveryNetwork network,
      String defaultProtocol,
      PrivateKey key,
      DiscoveryOptions options,
      ScheduledExecutorService scheduler) {
    this.network = network;
    this.defaultProtocol = defaultProtocol;
    this.key = key;
    this.options = options;
    this.scheduler = scheduler;
    this.window =
        new RateWindow(options.maxAdvertisementsPerWindow(), options.rateLimitWindow().toMillis());
    this.listeners =
        new Listeners<>("advertiser listener", network::callbacks, scheduler, options.queueCapacity());
    this.publisher = new AdvertisementPublisher(network, options, scheduler, this::emit);
  }

  /**
   * The key advertisements are signed with.
   *
   * @return its public key
   */
  public EcPoint signingKey() {
    return key.publicKey();
  }

  /**
   * Advertises: signs a first version, publishes it, and (with auto-refresh) keeps publishing new
   * versions until withdrawn.
   *
   * @param spec what to advertise
   * @return the signed first version once published on GossipSub and in the DHT; fails with {@link
   *     DiscoveryException} ({@code RATE_LIMIT_EXCEEDED}, nothing done) or {@link
   *     AdvertisementPublishException} (the advertisement is active and retried at the next
   *     refresh)
   * @throws IllegalArgumentException when the ID is already advertised or the advertisement would
   *     exceed the limits receivers apply
   * @throws IllegalStateException when the node is not running (no address to advertise)
   */
  public CompletableFuture<DiscoveryAdvertisement> advertise(AdvertisementSpec spec) {
    Objects.requireNonNull(spec, "spec");
    String protocol = spec.protocol().orElse(defaultProtocol);
    String id = spec.id().orElseGet(() -> protocol + ":" + HexFormat.of().formatHex(randomBytes()));
    Duration ttl = spec.ttl().orElse(options.ttl());
    Active a = new Active(id, protocol, spec, ttl, spec.autoRefresh().orElse(options.autoRefresh()));
    DiscoveryAdvertisement ad;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(closedError());
      }
      if (active.containsKey(id)) {
        throw new IllegalArgumentException(
            "advertisement " + id + " is already active; refresh or withdraw it");
      }
      long now = network.clock().millis();
      long wait = window.waitMillis(now);
      if (wait > 0) {
        return CompletableFuture.failedFuture(rateLimited(wait));
      }
      ad = sign(a, now);
      window.tryAcquire(now);
      a.current = ad;
      active.put(id, a);
      if (a.autoRefresh) {
        schedule(a, refreshDelay(a));
      }
      return inOrder(a, () -> publisher.publish(ad, false));
    }
  }

  /** Runs a publication of an advertisement after the previous one finished; caller holds the lock. */
  private <T> CompletableFuture<T> inOrder(Active a, Supplier<CompletableFuture<T>> next) {
    CompletableFuture<T> f = a.tail.handle((x, e) -> null).thenCompose(x -> next.get());
    a.tail = f;
    return f;
  }

  /**
   * Publishes a new version of an active advertisement now (new times, current addresses, signed
   * again).
   *
   * @param id the advertisement's ID
   * @return the new version once published; fails with {@link DiscoveryException} ({@code
   *     NOT_ACTIVE}, {@code RATE_LIMIT_EXCEEDED}) or {@link AdvertisementPublishException}
   */
  public CompletableFuture<DiscoveryAdvertisement> refresh(String id) {
    DiscoveryAdvertisement ad;
    synchronized (this) {
      Active a = active.get(id);
      if (a == null) {
        return CompletableFuture.failedFuture(notActive(id));
      }
      long now = network.clock().millis();
      long wait = window.waitMillis(now);
      if (wait > 0) {
        return CompletableFuture.failedFuture(rateLimited(wait));
      }
      try {
        ad = sign(a, nextCreatedAt(a, now));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      window.tryAcquire(now);
      a.current = ad;
      if (a.autoRefresh) {
        schedule(a, refreshDelay(a));
      }
      return inOrder(a, () -> publisher.publish(ad, true));
    }
  }

  /**
   * Withdraws an advertisement: no more refreshes, the DHT resource withdrawn, and a withdrawal
   * notice published on its topic (when the rate limit has no free slot, once one frees).
   *
   * @param id the advertisement's ID
   * @return true once the notice is published, false when the ID was not active; fails with
   *     {@link AdvertisementPublishException} when the notice could not be published (the
   *     advertisement is withdrawn locally all the same)
   */
  public CompletableFuture<Boolean> withdraw(String id) {
    Active a;
    DiscoveryAdvertisement notice;
    long wait;
    CompletableFuture<?> previous;
    synchronized (this) {
      a = active.remove(id);
      if (a == null) {
        return CompletableFuture.completedFuture(false);
      }
      cancel(a);
      long now = network.clock().millis();
      notice = notice(a, now);
      wait = window.waitMillis(now);
      if (wait == 0) {
        window.tryAcquire(now);
      }
      previous = a.tail;
    }
    network.withdraw(DiscoveryDiscoverer.RESOURCE_TYPE, id);
    emit(new AdvertiserEvent.Withdrawn(id));
    CompletableFuture<Void> slot = new CompletableFuture<>();
    if (wait == 0) {
      slot.complete(null);
    } else {
      try {
        scheduler.schedule(
            () -> {
              synchronized (this) {
                window.tryAcquire(network.clock().millis());
              }
              slot.complete(null);
            },
            wait,
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        slot.completeExceptionally(closedError());
      }
    }
    // After the last version in flight, so the notice is never overtaken by it.
    return previous
        .handle((x, e) -> null)
        .thenCompose(x -> slot)
        .thenCompose(x -> publisher.publishGossip(notice))
        .thenApply(x -> true);
  }

  private DiscoveryAdvertisement notice(Active a, long now) {
    long at = Math.max(now, a.current.createdAt() + 1);
    return AdvertisementSigner.sign(a.current.toBuilder().createdAt(at).expiresAt(at), key);
  }

  /**
   * The current version of every active advertisement.
   *
   * @return a snapshot, in the order they were advertised
   */
  public synchronized List<DiscoveryAdvertisement> activeAdvertisements() {
    List<DiscoveryAdvertisement> out = new ArrayList<>();
    active.values().forEach(a -> out.add(a.current));
    return out;
  }

  /**
   * The current version of an advertisement.
   *
   * @param id the ID
   * @return the version published last, if active
   */
  public synchronized Optional<DiscoveryAdvertisement> advertisement(String id) {
    Active a = active.get(id);
    return a == null ? Optional.empty() : Optional.of(a.current);
  }

  /**
   * Whether an advertisement is active.
   *
   * @param id the ID
   * @return true until withdrawn
   */
  public synchronized boolean isActive(String id) {
    return active.containsKey(id);
  }

  /**
   * Adds a listener of {@link AdvertiserEvent}s, run on the coordinator's callback executor, in
   * order; beyond {@code queueCapacity} events behind, events for it are dropped. A listener that
   * throws is logged and keeps receiving.
   *
   * @param listener the listener
   * @return the registration that removes it
   */
  public Registration addListener(Consumer<AdvertiserEvent> listener) {
    return listeners.add(listener);
  }

  /**
   * Withdraws every advertisement and refuses new ones. Withdrawal notices go out for as many
   * advertisements as the rate limit allows now; the others are left to expire (receivers would
   * refuse notices beyond their rate limit). Does not wait for the network.
   */
  @Override
  public void close() {
    List<Active> all;
    Map<Active, DiscoveryAdvertisement> notices = new LinkedHashMap<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(active.values());
      active.clear();
      long now = network.clock().millis();
      for (Active a : all) {
        cancel(a);
        if (window.tryAcquire(now)) {
          notices.put(a, notice(a, now));
        }
      }
    }
    for (Active a : all) {
      network.withdraw(DiscoveryDiscoverer.RESOURCE_TYPE, a.id);
      emit(new AdvertiserEvent.Withdrawn(a.id));
    }
    notices.forEach(
        (a, n) ->
            a.tail
                .handle((x, e) -> null)
                .thenRun(() -> publisher.publishOnce(n))
                .exceptionally(
                    e -> {
                      LOG.debug("withdrawal notice of {} not published: {}", n.id(), e.toString());
                      return null;
                    }));
  }

  // --- signing

  private DiscoveryAdvertisement sign(Active a, long createdAt) {
    AdvertisementSpec s = a.spec;
    List<String> addrs = s.multiaddrs().isEmpty() ? network.reachableAddresses() : s.multiaddrs();
    if (addrs.isEmpty()) {
      throw new IllegalStateException("this node has no address to advertise");
    }
    int max = options.limits().maxMultiaddrs();
    DiscoveryPeerInfo pi =
        DiscoveryPeerInfo.of(network.selfId(), addrs.size() > max ? addrs.subList(0, max) : addrs);
    DiscoveryAdvertisement.Builder b =
        DiscoveryAdvertisement.builder()
            .id(a.id)
            .protocol(a.protocol)
            .capabilities(s.capabilities())
            .createdAt(createdAt)
            .expiresAt(createdAt + a.ttl.toMillis())
            .reputation(s.reputation())
            .metadata(s.metadata().orElse(null))
            .customCriteria(s.customCriteria().orElse(null))
            .location(s.location().orElse(null))
            .extensions(s.extensions().orElse(null));
    // The key goes where receivers look for it (reference 5.3); a signing request names its
    // signer, not the first required key (MuSig2 reference 3.15).
    switch (a.protocol) {
      case "musig2" -> b.publicKey(key.publicKey());
      case "musig2-request" -> b.creatorPublicKey(key.publicKey());
      default -> pi = pi.withPublicKey(key.publicKey());
    }
    DiscoveryAdvertisement ad = AdvertisementSigner.sign(b.peerInfo(pi), key);
    int size = AdvertisementJson.write(ad).length;
    if (size > options.limits().maxBytes()) {
      throw new IllegalArgumentException(
          "advertisement "
              + a.id
              + " is "
              + size
              + " bytes; receivers accept at most "
              + options.limits().maxBytes());
    }
    return ad;
  }

  private static long nextCreatedAt(Active a, long now) {
    // A new version must be newer than the last, or receivers treat it as a replay.
    return Math.max(now, a.current.createdAt() + 1);
  }

  // --- refresh timers

  private long refreshDelay(Active a) {
    return options.refreshInterval().toMillis();
  }

  private void schedule(Active a, long delayMillis) {
    cancel(a);
    try {
      a.timer = scheduler.schedule(() -> autoRefresh(a), delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException shutDown) {
      a.timer = null;
    }
  }

  private static void cancel(Active a) {
    if (a.timer != null) {
      a.timer.cancel(false);
      a.timer = null;
    }
  }

  private void autoRefresh(Active a) {
    DiscoveryAdvertisement ad;
    synchronized (this) {
      if (closed || active.get(a.id) != a) {
        return;
      }
      long now = network.clock().millis();
      long wait = window.waitMillis(now);
      if (wait > 0) {
        schedule(a, wait); // the refresh waits for a free slot instead of failing
        return;
      }
      try {
        ad = sign(a, nextCreatedAt(a, now));
      } catch (RuntimeException e) {
        schedule(a, retryDelay(a, now));
        emit(new AdvertiserEvent.PublishFailed(a.id, e));
        return;
      }
      window.tryAcquire(now);
      a.current = ad;
      schedule(a, refreshDelay(a));
      inOrder(a, () -> publisher.publish(ad, true))
        .whenComplete(
            (v, e) -> {
              if (e != null) {
                synchronized (this) {
                  if (!closed && active.get(a.id) == a && a.current == ad) {
                    schedule(a, retryDelay(a, network.clock().millis()));
                  }
                }
              }
            });
    }
  }

  /** After a failure: soon enough to publish before the last published version expires. */
  private long retryDelay(Active a, long now) {
    long untilExpiry = a.current.expiresAt() - now;
    long delay = Math.max(options.retryDelay().toMillis(), untilExpiry / 3);
    return Math.min(delay, refreshDelay(a));
  }

  private void emit(AdvertiserEvent event) {
    listeners.publish(event);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return b;
  }

  private static DiscoveryException notActive(String id) {
    return new DiscoveryException(
        DiscoveryException.Type.NOT_ACTIVE, "advertisement " + id + " is not active", null);
  }

  private DiscoveryException rateLimited(long waitMillis) {
    return new DiscoveryException(
        DiscoveryException.Type.RATE_LIMIT_EXCEEDED,
        "at most "
            + options.maxAdvertisementsPerWindow()
            + " advertisement versions per "
            + options.rateLimitWindow()
            + " (receivers refuse more); a slot frees in "
            + waitMillis
            + " ms",
        null);
  }

  private static DiscoveryException closedError() {
    return new DiscoveryException(DiscoveryException.Type.CLOSED, "discovery system is closed", null);
  }
}
