package org.lotusia.p2p.coordinator.discovery;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.p2p.coordinator.P2PCoordinator;
import org.lotusia.p2p.coordinator.Registration;
import org.lotusia.p2p.coordinator.internal.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery layer of one protocol on a coordinator, wired together (lotus-sdk's {@code
 * createDiscoverySystem}, which forgot the signing key and its options): an {@link
 * DiscoveryAdvertiser} signing with the given key, a {@link DiscoveryDiscoverer} whose every input
 * passes the {@link DiscoverySecurityValidator}, one cache, one scheduler.
 *
 * <pre>{@code
 * DiscoverySystem musig2 = DiscoverySystem.create(node, "musig2", walletKey, DiscoveryOptions.DEFAULT);
 * musig2.start().join();
 * musig2.advertiser().advertise(AdvertisementSpec.builder().capabilities("musig2-signer").build()).join();
 * List<DiscoveryAdvertisement> signers =
 *     musig2.discoverer().discover(DiscoveryCriteria.forProtocol("musig2")).join();
 * }</pre>
 *
 * <p>Threading: thread-safe. The system owns one scheduler thread (timers: refreshes, retries, the
 * expiry sweep; never application code), a daemon that ends after a second without work; callbacks
 * run on the coordinator's callback executor. {@link #close()} ends everything.
 */
public final class DiscoverySystem implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DiscoverySystem.class);

  private final DiscoveryNetwork network;
  private final String protocol;
  private final DiscoveryOptions options;
  private final ScheduledThreadPoolExecutor scheduler;
  private final DiscoverySecurityValidator validator;
  private final DiscoveryDiscoverer discoverer;
  private final DiscoveryAdvertiser advertiser;
  private CompletableFuture<Void> started;
  private Registration runningListener;
  private ScheduledFuture<?> sweep;
  private boolean closed;

  private DiscoverySystem(
      DiscoveryNetwork network, String protocol, PrivateKey signingKey, DiscoveryOptions options) {
    this.network = network;
    this.protocol = Checks.protocol(protocol, "protocol");
    this.options = Objects.requireNonNull(options, "options");
    Objects.requireNonNull(signingKey, "signingKey");
    this.scheduler = Threads.scheduler("discovery-" + protocol);
    this.validator =
        new DiscoverySecurityValidator(
            options.securityPolicy().orElseGet(() -> DiscoverySecurityPolicy.forProtocol(protocol).build()),
            network.clock());
    this.discoverer =
        new DiscoveryDiscoverer(network, validator, options.newCache(), options, scheduler);
    this.advertiser = new DiscoveryAdvertiser(network, protocol, signingKey, options, scheduler);
  }

  /**
   * Creates the discovery system of a protocol on a coordinator. Nothing touches the network
   * before {@link #start()}.
   *
   * @param coordinator the node
   * @param protocol the protocol (letters, digits, {@code - _ . :}), for example {@code musig2}
   * @param signingKey the secp256k1 key advertisements are signed with
   * @param options the settings
   * @return the system, not started
   * @throws IllegalArgumentException when the protocol name is invalid or the coordinator has
   *     GossipSub disabled (advertisements travel on GossipSub)
   */
  public static DiscoverySystem create(
      P2PCoordinator coordinator, String protocol, PrivateKey signingKey, DiscoveryOptions options) {
    Objects.requireNonNull(coordinator, "coordinator");
    if (!coordinator.config().enableGossipSub()) {
      throw new IllegalArgumentException(
          "discovery needs GossipSub, which this coordinator's configuration disables");
    }
    return new DiscoverySystem(
        new CoordinatorNetwork(coordinator),
        protocol,
        signingKey,
        options);
  }

  /** For tests with an in-memory network. */
  static DiscoverySystem create(
      DiscoveryNetwork network, String protocol, PrivateKey signingKey, DiscoveryOptions options) {
    return new DiscoverySystem(network, protocol, signingKey, options);
  }

  /**
   * Starts: follows the protocol's topic (with {@code listen}), re-joins topics when the
   * coordinator restarts, and sweeps expired advertisements every {@code sweepInterval}.
   * Idempotent.
   *
   * @return completes when the topic is joined; fails when joining failed (for example the node is
   *     not running; the topic is joined once it runs)
   */
  public synchronized CompletableFuture<Void> start() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new DiscoveryException(DiscoveryException.Type.CLOSED, "discovery system is closed", null));
    }
    if (started != null) {
      return started;
    }
    runningListener = network.onRunningChange(discoverer::runningChanged);
    long every = options.sweepInterval().toMillis();
    sweep = scheduler.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    started = options.listen() ? discoverer.listen(protocol) : CompletableFuture.completedFuture(null);
    return started;
  }

  private void sweep() {
    try {
      int expired = discoverer.removeExpired();
      int forgotten = validator.cleanup();
      if (expired + forgotten > 0) {
        LOG.debug("discovery {}: {} advertisements expired, {} records forgotten", protocol, expired, forgotten);
      }
    } catch (RuntimeException e) {
      LOG.warn("discovery sweep of {} failed; it runs again at the next interval", protocol, e);
    }
  }

  /**
   * The protocol.
   *
   * @return its name
   */
  public String protocol() {
    return protocol;
  }

  /**
   * The advertiser.
   *
   * @return the advertiser
   */
  public DiscoveryAdvertiser advertiser() {
    return advertiser;
  }

  /**
   * The discoverer.
   *
   * @return the discoverer
   */
  public DiscoveryDiscoverer discoverer() {
    return discoverer;
  }

  /**
   * The validator every received advertisement passes.
   *
   * @return the validator
   */
  public DiscoverySecurityValidator validator() {
    return validator;
  }

  /**
   * Withdraws this node's advertisements (see {@link DiscoveryAdvertiser#close()}), closes every
   * subscription, leaves the topics and ends the timers. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (sweep != null) {
        sweep.cancel(false);
      }
      if (runningListener != null) {
        runningListener.close();
      }
    }
    advertiser.close();
    discoverer.close();
    scheduler.shutdown();
  }

  @Override
  public String toString() {
    return "DiscoverySystem[" + protocol + "]";
  }
}
