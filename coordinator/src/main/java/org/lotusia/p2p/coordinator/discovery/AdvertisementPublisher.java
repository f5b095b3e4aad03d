package org.lotusia.p2p.coordinator.discovery;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a signed advertisement on the network for the {@link DiscoveryAdvertiser}: the GossipSub
 * message on its topic (up to {@code maxRetries} attempts, the n-th retry after n x {@code
 * retryDelay}) and the DHT resource {@code discovery-advertisement:<id>} ending at {@code
 * expiresAt}; reports the outcome as an {@link AdvertiserEvent} and through the returned future.
 * Stateless apart from its collaborators; thread-safe.
 */
final class AdvertisementPublisher {

  private static final Logger LOG = LoggerFactory.getLogger(AdvertisementPublisher.class);

  private final DiscoveryNetwork network;
  private final DiscoveryOptions options;
  private final ScheduledExecutorService scheduler;
  private final Consumer<AdvertiserEvent> events;

  AdvertisementPublisher(
      DiscoveryNetwork network,
      DiscoveryOptions options,
      ScheduledExecutorService scheduler,
      Consumer<AdvertiserEvent> events) {
    this.network = network;
    this.options = options;
    this.scheduler = scheduler;
    this.events = events;
  }

  /**
   * Publishes on GossipSub and in the DHT.
   *
   * @return the advertisement when both succeeded; else fails with {@link
   *     AdvertisementPublishException} naming each failure
   */
  CompletableFuture<DiscoveryAdvertisement> publish(DiscoveryAdvertisement ad, boolean refresh) {
    CompletableFuture<Throwable> gossip = publishGossip(ad).handle((v, e) -> e);
    CompletableFuture<Throwable> dht = announce(ad).handle((v, e) -> e);
    return gossip.thenCombine(
        dht,
        (ge, de) -> {
          if (ge == null && de == null) {
            events.accept(new AdvertiserEvent.Published(ad, refresh));
            return ad;
          }
          AdvertisementPublishException x =
              new AdvertisementPublishException(ad, Failures.unwrap(ge), Failures.unwrap(de));
          LOG.debug("{}", x.getMessage());
          events.accept(new AdvertiserEvent.PublishFailed(ad.id(), x));
          throw x;
        });
  }

  private CompletableFuture<Void> announce(DiscoveryAdvertisement ad) {
    if (!network.dhtEnabled()) {
      return CompletableFuture.completedFuture(null);
    }
    try {
      return network
          .announce(
              DiscoveryDiscoverer.RESOURCE_TYPE,
              ad.id(),
              AdvertisementJson.toTree(ad),
              Instant.ofEpochMilli(ad.expiresAt()))
          .thenApply(r -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Publishes on GossipSub only, with retries (withdrawal notices).
   *
   * @return completes when published; a withdrawal notice that could not be published fails with
   *     {@link AdvertisementPublishException}
   */
  CompletableFuture<Void> publishGossip(DiscoveryAdvertisement ad) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    attempt(ad.topic(), AdvertisementJson.write(ad), 1, result);
    return result.handle(
        (v, e) -> {
          if (e != null && ad.isWithdrawal()) {
            throw new AdvertisementPublishException(ad, Failures.unwrap(e), null);
          }
          if (e != null) {
            throw e instanceof CompletionException c ? c : new CompletionException(e);
          }
          return null;
        });
  }

  /** One attempt, failures only logged (withdrawal notices at close). */
  void publishOnce(DiscoveryAdvertisement ad) {
    CompletableFuture<Void> f;
    try {
      f = network.publish(ad.topic(), AdvertisementJson.write(ad));
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.exceptionally(
        e -> {
          LOG.debug("withdrawal notice of {} not published: {}", ad.id(), e.toString());
          return null;
        });
  }

  private void attempt(String topic, byte[] data, int n, CompletableFuture<Void> result) {
    CompletableFuture<Void> f;
    try {
      f = network.publish(topic, data);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete(
        (v, e) -> {
          if (e == null) {
            result.complete(null);
            return;
          }
          if (n >= options.maxRetries()) {
            result.completeExceptionally(Failures.unwrap(e));
            return;
          }
          LOG.debug("publication on {} failed (attempt {}): {}", topic, n, e.toString());
          try {
            scheduler.schedule(
                () -> attempt(topic, data, n + 1, result),
                options.retryDelay().toMillis() * n,
                TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException shutDown) {
            result.completeExceptionally(Failures.unwrap(e));
          }
        });
  }
}
