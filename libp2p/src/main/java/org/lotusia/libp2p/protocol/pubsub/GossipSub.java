package org.lotusia.libp2p.protocol.pubsub;

import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GossipSub attached to a {@link Host}: serves {@code /meshsub/1.2.0}, {@code /meshsub/1.1.0},
 * {@code /meshsub/1.0.0} and {@code /floodsub/1.0.0}, keeps one long-lived outbound RPC stream per
 * peer that supports one of them (found through identify), and runs a {@link GossipRouter}.
 *
 * <pre>{@code
 * GossipSub pubsub = new GossipSub(host, GossipSubConfig.defaults());
 * pubsub.start();
 * pubsub.subscribe("news", msg -> handle(msg.data())).join();
 * pubsub.publish("news", bytes);
 * }</pre>
 *
 * <p>Threading: the router state is confined to one service thread, which never runs user code.
 * Signatures are verified and topic validators (user code) run on a bounded validation pool with a
 * bounded queue per topic ({@link GossipSubConfig#validationQueueSize()}); what overflows is
 * dropped and counted, and the router never waits for it. Everything user-visible runs on the
 * callback executor, the host's ({@link Host#callbackExecutor()}) unless the constructor is given
 * another: returned futures complete there, message handlers receive messages there (one at a time
 * per topic, in the order accepted, through a bounded queue per topic), {@link PubsubListener}s are
 * called there (one at a time, in order) and so is the application score. A callback executor that
 * refuses a task gets it again a little later (counted); nothing is lost because the executor was
 * full. Every method is thread-safe and returns without blocking; every returned future completes.
 * Outbound RPCs wait in a bounded per-peer queue; a slow peer loses RPCs (counted) instead of
 * stalling the router.
 */
public final class GossipSub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GossipSub.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** The protocol IDs served and proposed, most preferred first. */
  public static final List<String> PROTOCOLS =
      List.of("/meshsub/1.2.0", "/meshsub/1.1.0", "/meshsub/1.0.0", "/floodsub/1.0.0");

  /** Signed peer records kept for PX, at most. */
  static final int MAX_RECORDS = 10_000;

  private final Host host;
  private final GossipSubConfig cfg;
  private final ScheduledExecutorService loop;
  private volatile Thread loopThread;

  /** The longest {@link #close()} waits for the loop to close the streams. */
  private static final int CLOSE_WAIT_SECONDS = 5;
  private final Counters counters = new Counters();
  private final Callbacks callbacks;
  private final Subscriptions subscriptions;
  private final ListenerEvents listeners;
  private final PeerStreams streams;
  private final GossipRouter router;
  private final ValidationLanes validation;
  private final PeerRecords records = new PeerRecords(MAX_RECORDS);
  private final PxConnector px;
  private final AppScores appScores;
  private final HostListener hostListener =
      new HostListener() {
        @Override
        public void identifyCompleted(Connection c, IdentifyInfo info) {
          if (info.protocols().stream().anyMatch(PROTOCOLS::contains)) {
            info.signedPeerRecord().ifPresent(r -> records.put(c.remotePeer(), r));
            run(() -> streams.openOutbound(c.remotePeer()));
          }
        }

        @Override
        public void connectionClosed(Connection c) {
          run(
              () -> {
                if (host.connections(c.remotePeer()).isEmpty()) {
                  records.remove(c.remotePeer());
                }
                streams.peerMaybeGone(c.remotePeer());
              });
        }
      };
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * Creates the service on the host's callback executor ({@link Host#callbackExecutor()}); call
   * {@link #start()} to attach it.
   *
   * @param host the host, started or not
   * @param config the settings
   */
  public GossipSub(Host host, GossipSubConfig config) {
    this(host, config, Objects.requireNonNull(host, "host").callbackExecutor());
  }

  /**
   * Creates the service; call {@link #start()} to attach it.
   *
   * @param host the host, started or not
   * @param config the settings
   * @param callbackExecutor where futures complete and handlers, listeners and the application
   *     score run; not shut down by {@link #close()}
   */
  public GossipSub(Host host, GossipSubConfig config, Executor callbackExecutor) {
    this.host = Objects.requireNonNull(host, "host");
    this.cfg = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(callbackExecutor, "callbackExecutor");
    String name = "lotus-gossipsub-" + INSTANCES.incrementAndGet();
    this.loop = Executors.newSingleThreadScheduledExecutor(daemon(name));
    loop.execute(() -> loopThread = Thread.currentThread());
    this.callbacks = new Callbacks(callbackExecutor, loop, counters.callbackRefusals);
    this.subscriptions = new Subscriptions(callbacks, cfg.deliveryQueueSize(), counters);
    this.listeners = new ListenerEvents(callbacks, cfg.eventQueueSize(), counters);
    PeerStreams.Service service =
        new PeerStreams.Service() {
          @Override
          public boolean run(Runnable task) {
            return GossipSub.this.run(task);
          }

          @Override
          public GossipRouter router() {
            return router;
          }

          @Override
          public boolean closed() {
            return closed;
          }
        };
    this.streams = new PeerStreams(host, cfg, service, counters);
    this.validation =
        new ValidationLanes(
            cfg.validationThreads(),
            cfg.validationQueueSize(),
            cfg.validationConcurrency(),
            daemon(name + "-validation"),
            this::run,
            counters.validationDropped);
    this.px =
        new PxConnector(
            host,
            cfg.maxPxConnects(),
            callbacks,
            service,
            streams::openOutbound,
            counters.pxSkipped);
    this.router =
        new GossipRouter(
            cfg,
            host.peerId(),
            host.identity(),
            new Sink(),
            new Random(),
            counters,
            validation,
            records::get);
    this.appScores = new AppScores(cfg.score().appSpecificScore(), callbacks, service);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The router's output: RPCs to the streams, messages and events to the callback lanes. */
  private final class Sink implements RouterSink {
    @Override
    public void send(PeerId peer, RPC rpc) {
      streams.send(peer, rpc);
    }

    @Override
    public void deliver(PubsubMessage message) {
      subscriptions.deliver(message);
    }

    @Override
    public void connect(PeerId peer, byte[] signedRecord) {
      px.connect(peer, signedRecord);
    }

    @Override
    public void peerSubscribed(PeerId peer, String topic) {
      listeners.subscribed(peer, topic);
    }

    @Override
    public void peerUnsubscribed(PeerId peer, String topic) {
      listeners.unsubscribed(peer, topic);
    }
  }

  /**
   * Registers the protocols and the identify listener, starts the heartbeat. Fails with {@link
   * IllegalStateException} when called a second time or after {@link #close()}.
   */
  public CompletableFuture<Void> start() {
    if (closed || !started.compareAndSet(false, true)) {
      return failed(
          new IllegalStateException(closed ? "gossipsub is closed" : "gossipsub already started"));
    }
    for (String p : PROTOCOLS) {
      host.setStreamHandler(
          p,
          s -> {
            if (!run(() -> streams.onInbound(s))) {
              s.reset(); // arrived during close()
            }
          });
    }
    host.addListener(hostListener);
    long hb = cfg.heartbeatInterval().toMillis();
    try {
      loop.scheduleAtFixedRate(this::heartbeat, Math.min(100, hb), hb, TimeUnit.MILLISECONDS);
      if (!cfg.directPeers().isEmpty()) {
        long every = cfg.directConnectInterval().toMillis();
        loop.scheduleAtFixedRate(this::connectDirectPeers, 0, every, TimeUnit.MILLISECONDS);
      }
    } catch (RejectedExecutionException e) {
      return failed(new IllegalStateException("gossipsub is closed"));
    }
    return call(
        () -> {
          for (Connection c : host.connections()) {
            if (host.peerStore().protocols(c.remotePeer()).stream().anyMatch(PROTOCOLS::contains)) {
              streams.openOutbound(c.remotePeer());
            }
          }
          return null;
        });
  }

  private void heartbeat() {
    try {
      router.heartbeat();
      streams.retryLost();
      if (cfg.score().hasAppScore()) {
        appScores.refresh(router.peerIds());
      }
    } catch (RuntimeException e) {
      LOG.error("gossipsub heartbeat failed", e);
    }
  }

  /** Dials the direct peers that are not connected (spec v1.1 explicit peering). */
  private void connectDirectPeers() {
    for (Multiaddr a : cfg.directPeers()) {
      PeerId p = a.peerId().orElseThrow();
      if (!closed && host.connections(p).isEmpty()) {
        host.dial(a)
            .whenComplete(
                (c, e) -> {
                  if (e != null) {
                    LOG.debug("direct peer {} not reachable: {}", a, e.toString());
                  }
                });
      }
    }
  }

  /** Runs {@code task} on the service thread; false when the service is closed. */
  private boolean run(Runnable task) {
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.warn("gossipsub task failed", e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  /**
   * Runs {@code task} on the service thread; the returned future completes on the callback
   * executor, so a caller's dependent action may block (even on another call) without stalling the
   * router.
   */
  private <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    boolean queued =
        run(
            () -> {
              T value;
              try {
                value = task.get();
              } catch (RuntimeException e) {
                callbacks.complete(f, null, e);
                return;
              }
              callbacks.complete(f, value, null);
            });
    if (!queued) {
      callbacks.complete(f, null, new IllegalStateException("gossipsub is closed"));
    }
    return f;
  }

  private <T> CompletableFuture<T> failed(Throwable e) {
    CompletableFuture<T> f = new CompletableFuture<>();
    callbacks.complete(f, null, e);
    return f;
  }

  /**
   * Subscribes to {@code topic}; {@code handler} receives every validated message of it from other
   * peers (own messages only with {@link GossipSubConfig#emitSelf()}). Several handlers per topic
   * are allowed; they run on the callback executor, one message at a time per topic.
   */
  public CompletableFuture<Void> subscribe(String topic, Consumer<PubsubMessage> handler) {
    checkTopic(topic);
    Objects.requireNonNull(handler, "handler");
    subscriptions.add(topic, handler);
    return call(
        () -> {
          router.subscribe(topic);
          return null;
        });
  }

  /** Leaves {@code topic} and drops its handlers. */
  public CompletableFuture<Void> unsubscribe(String topic) {
    checkTopic(topic);
    subscriptions.remove(topic);
    return call(
        () -> {
          router.unsubscribe(topic);
          return null;
        });
  }

  /**
   * This node's topics: those subscribed and not unsubscribed since. A snapshot, current as soon as
   * {@link #subscribe} or {@link #unsubscribe} returned. Cheap; never blocks.
   */
  public Set<String> subscriptions() {
    return subscriptions.topics();
  }

  /**
   * Publishes {@code data} to {@code topic} (subscribed or not). Completes with the message and its
   * first-hop recipients, possibly none; fails with {@link IllegalStateException} for a duplicate,
   * and with {@link NoPeersSubscribedException} when nobody would get it and {@link
   * GossipSubConfig#allowPublishToZeroTopicPeers()} is false.
   */
  public CompletableFuture<PublishResult> publish(String topic, byte[] data) {
    checkTopic(topic);
    byte[] copy = Objects.requireNonNull(data, "data").clone();
    return call(
        () -> {
          Publisher.Published p = router.publish(topic, copy);
          return new PublishResult(p.message(), p.recipients());
        });
  }

  /**
   * Sets the validator of {@code topic}, replacing an earlier one. It applies to messages that
   * arrive after this call returned.
   */
  public void addValidator(String topic, TopicValidator validator) {
    checkTopic(topic);
    Objects.requireNonNull(validator, "validator");
    run(() -> router.addValidator(topic, validator));
  }

  /** Removes the validator of {@code topic}. */
  public void removeValidator(String topic) {
    run(() -> router.removeValidator(topic));
  }

  /** Adds {@code listener}; it sees events that happen after this call. */
  public void addListener(PubsubListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** Removes a listener added before; events already queued for it may still arrive. */
  public void removeListener(PubsubListener listener) {
    listeners.remove(listener);
  }

  /** Our mesh peers of {@code topic}. */
  public CompletableFuture<Set<PeerId>> meshPeers(String topic) {
    return call(() -> router.meshPeers(topic));
  }

  /** Peers known to be subscribed to {@code topic}. */
  public CompletableFuture<Set<PeerId>> topicPeers(String topic) {
    return call(() -> router.topicPeers(topic));
  }

  /** The current score of {@code peer}. */
  public CompletableFuture<Double> score(PeerId peer) {
    return call(() -> router.scoreOf(peer));
  }

  /** The counters so far. Cheap; never blocks. */
  public GossipSubStats stats() {
    return counters.snapshot();
  }

  /** Outbound RPCs dropped because a peer's queue was full or its stream was gone. */
  public long droppedRpcs() {
    return counters.droppedOutboundRpcs.sum();
  }

  /** Inbound RPCs refused so far: oversized, malformed, or over a per-RPC limit. */
  public CompletableFuture<Long> rejectedRpcs() {
    return call(() -> counters.rejectedRpcs.sum());
  }

  /**
   * Inbound RPCs dropped unread because the peer sent them faster than the router handled them (see
   * {@link GossipSubConfig#inboundQueueBytes()}).
   */
  public long droppedInboundRpcs() {
    return counters.droppedInboundRpcs.sum();
  }

  /** Messages not handed to a handler because the topic's delivery queue was full. */
  public long droppedDeliveries() {
    return counters.droppedDeliveries.sum();
  }

  private static void checkTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic must be a non-empty string");
    }
  }

  /**
   * Removes the protocols and listener, closes the outbound streams, resets the inbound ones and
   * stops the threads. Calls made before complete; later ones fail with {@link
   * IllegalStateException}. Returns once the streams' closing was handed to their connections (at
   * most {@value #CLOSE_WAIT_SECONDS} s), so the host may be closed right after. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    host.removeListener(hostListener);
    for (String p : PROTOCOLS) {
      host.removeStreamHandler(p);
    }
    run(streams::closeAll);
    loop.shutdown();
    if (Thread.currentThread() != loopThread) {
      // The streams are closed on the loop: wait for it (bounded), so that a host closed right
      // after this still has the event loops that complete those closes.
      try {
        loop.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    validation.close();
    subscriptions.close();
    listeners.close();
  }
}
