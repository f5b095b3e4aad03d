package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostListener;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
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
 * <p>Threading: the router state is confined to one service thread, which also runs validators;
 * message handlers run on a separate delivery thread with a bounded queue (a message arriving while
 * it is full is dropped and counted). Every method is thread-safe and returns without blocking;
 * returned futures complete on a thread of the JDK's default async pool, never on the service
 * thread, so their dependent actions may block. Outbound RPCs wait in a bounded per-peer queue; a
 * slow peer loses RPCs (counted by {@link #droppedRpcs()}) instead of stalling the router.
 */
public final class GossipSub implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GossipSub.class);

  /** The protocol IDs served and proposed, most preferred first. */
  public static final List<String> PROTOCOLS =
      List.of("/meshsub/1.2.0", "/meshsub/1.1.0", "/meshsub/1.0.0", "/floodsub/1.0.0");

  private static final int DELIVERY_QUEUE = 4096;
  private static final int RPC_OVERHEAD_BYTES = 64;

  private final Host host;
  private final GossipSubConfig cfg;
  private final ScheduledExecutorService loop;
  private final ThreadPoolExecutor delivery;
  private final GossipRouter router;
  private final Map<PeerId, PeerWriter> writers = new ConcurrentHashMap<>();
  private final Map<PeerId, Stream> inbound = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<PubsubMessage>>> handlers = new ConcurrentHashMap<>();
  private final AtomicLong droppedRpcs = new AtomicLong();
  private final AtomicLong droppedDeliveries = new AtomicLong();
  private final AtomicLong badInboundRpcs = new AtomicLong();
  private final AtomicLong droppedInboundRpcs = new AtomicLong();
  private final HostListener listener =
      new HostListener() {
        @Override
        public void identifyCompleted(Connection c, IdentifyInfo info) {
          if (info.protocols().stream().anyMatch(PROTOCOLS::contains)) {
            run(() -> openOutbound(c.remotePeer()));
          }
        }

        @Override
        public void connectionClosed(Connection c) {
          run(() -> peerMaybeGone(c.remotePeer()));
        }
      };
  private final AtomicBoolean closing = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile boolean closed;

  /**
   * Creates the service; call {@link #start()} to attach it.
   *
   * @param host the host, started or not
   * @param config the settings
   */
  public GossipSub(Host host, GossipSubConfig config) {
    this.host = Objects.requireNonNull(host, "host");
    this.cfg = Objects.requireNonNull(config, "config");
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "gossipsub-" + host.peerId().toBase58().substring(0, 12));
              t.setDaemon(true);
              return t;
            });
    this.delivery =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(DELIVERY_QUEUE),
            r -> {
              Thread t = new Thread(r, "gossipsub-delivery");
              t.setDaemon(true);
              return t;
            },
            (r, ex) -> droppedDeliveries.incrementAndGet());
    this.router = new GossipRouter(cfg, host.peerId(), host.identity(), new Sink(), new Random());
  }

  private final class Sink implements RouterSink {
    @Override
    public void send(PeerId peer, RPC rpc) {
      PeerWriter w = writers.get(peer);
      if (w == null) {
        droppedRpcs.incrementAndGet();
      } else {
        w.enqueue(RpcFraming.encode(rpc));
      }
    }

    @Override
    public void deliver(PubsubMessage message) {
      List<Consumer<PubsubMessage>> hs = handlers.get(message.topic());
      if (hs == null) {
        return;
      }
      for (Consumer<PubsubMessage> h : hs) {
        delivery.execute(
            () -> {
              try {
                h.accept(message);
              } catch (RuntimeException e) {
                LOG.warn("pubsub handler of topic {} threw", message.topic(), e);
              }
            });
      }
    }

    @Override
    public void connect(PeerId peer) {
      openOutbound(peer);
    }
  }

  /**
   * Registers the protocols and the identify listener, starts the heartbeat. Fails with {@link
   * IllegalStateException} when called a second time or after {@link #close()}.
   */
  public CompletableFuture<Void> start() {
    if (closed || !started.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(closed ? "gossipsub is closed" : "gossipsub already started"));
    }
    for (String p : PROTOCOLS) {
      host.setStreamHandler(
          p,
          s -> {
            if (!run(() -> onInbound(s))) {
              s.reset(); // arrived during close()
            }
          });
    }
    host.addListener(listener);
    long hb = cfg.heartbeatInterval().toMillis();
    try {
      loop.scheduleAtFixedRate(this::heartbeatSafely, Math.min(100, hb), hb, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new IllegalStateException("gossipsub is closed"));
    }
    return call(
        () -> {
          for (Connection c : host.connections()) {
            if (host.peerStore().protocols(c.remotePeer()).stream().anyMatch(PROTOCOLS::contains)) {
              openOutbound(c.remotePeer());
            }
          }
          return null;
        });
  }

  private void heartbeatSafely() {
    try {
      router.heartbeat();
    } catch (RuntimeException e) {
      LOG.error("gossipsub heartbeat failed", e);
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
   * Runs {@code task} on the service thread. The returned future completes off that thread, so a
   * caller's dependent action may block (even on another call) without stalling the router.
   */
  private <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            T value;
            try {
              value = task.get();
            } catch (RuntimeException e) {
              CompletableFuture.runAsync(() -> f.completeExceptionally(e));
              return;
            }
            CompletableFuture.runAsync(() -> f.complete(value));
          });
    } catch (RejectedExecutionException e) {
      f.completeExceptionally(new IllegalStateException("gossipsub is closed"));
    }
    return f;
  }

  private void openOutbound(PeerId peer) {
    if (closed || peer.equals(host.peerId()) || writers.containsKey(peer)) {
      return;
    }
    PeerWriter w = new PeerWriter(cfg.outboundQueueSize(), droppedRpcs);
    writers.put(peer, w);
    host.newStream(peer, PROTOCOLS)
        .whenComplete(
            (s, e) -> {
              boolean queued =
                  run(
                      () -> {
                        if (e != null) {
                          LOG.debug("no pubsub stream to {}: {}", peer, e.toString());
                          if (writers.remove(peer, w)) {
                            router.removePeer(peer);
                          }
                          return;
                        }
                        if (writers.get(peer) != w) {
                          s.close();
                          return;
                        }
                        router.addPeer(
                            peer, s.protocol(), s.connection().direction() == Direction.OUTBOUND);
                        w.attach(s);
                        s.closeFuture().whenComplete((v, x) -> run(() -> outboundGone(peer, w)));
                      });
              if (!queued && s != null) {
                s.close(); // opened after close(): nobody else will close it
              }
            });
  }

  private void outboundGone(PeerId peer, PeerWriter w) {
    if (writers.remove(peer, w)) {
      w.close();
      router.removePeer(peer);
    }
  }

  private void peerMaybeGone(PeerId peer) {
    if (host.connections(peer).isEmpty()) {
      PeerWriter w = writers.remove(peer);
      if (w != null) {
        w.close();
      }
      router.removePeer(peer);
    }
  }

  private void onInbound(Stream s) {
    PeerId peer = s.connection().remotePeer();
    if (closed) {
      s.reset();
      return;
    }
    // one inbound stream per peer, as go and js keep it: a newer one replaces the older
    Stream older = inbound.put(peer, s);
    if (older != null) {
      older.reset();
    }
    s.closeFuture().whenComplete((v, x) -> inbound.remove(peer, s));
    openOutbound(peer);
    if (writers.containsKey(peer)) {
      router.addPeer(peer, s.protocol(), s.connection().direction() == Direction.OUTBOUND);
    }
    RpcFraming.Decoder decoder = new RpcFraming.Decoder(cfg.maxRpcSize());
    // bytes handed to the service thread and not yet handled: the reader never waits for the
    // router, so without this budget a fast peer could queue RPCs without bound
    AtomicLong waiting = new AtomicLong();
    s.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream stream, byte[] chunk) {
            List<byte[]> frames;
            try {
              frames = decoder.feed(chunk);
            } catch (RuntimeException e) {
              badInboundRpcs.incrementAndGet();
              LOG.debug("resetting pubsub stream from {}: {}", peer, e.getMessage());
              run(() -> router.score.penalize(peer, 1));
              stream.reset();
              return;
            }
            for (byte[] f : frames) {
              RPC rpc;
              try {
                rpc = RPC.parseFrom(f);
              } catch (InvalidProtocolBufferException e) {
                badInboundRpcs.incrementAndGet();
                run(() -> router.score.penalize(peer, 1));
                continue;
              }
              // an empty RPC still costs a task: charge a fixed overhead per RPC
              long size = f.length + RPC_OVERHEAD_BYTES;
              if (waiting.get() > 0 && waiting.get() + size > cfg.inboundQueueBytes()) {
                droppedInboundRpcs.incrementAndGet();
                continue;
              }
              waiting.addAndGet(size);
              run(
                  () -> {
                    try {
                      router.handleRpc(peer, rpc);
                    } finally {
                      waiting.addAndGet(-size);
                    }
                  });
            }
          }
        });
  }

  /**
   * Subscribes to {@code topic}; {@code handler} receives every validated message of it from other
   * peers (own messages are not delivered). Several handlers per topic are allowed.
   */
  public CompletableFuture<Void> subscribe(String topic, Consumer<PubsubMessage> handler) {
    checkTopic(topic);
    Objects.requireNonNull(handler, "handler");
    handlers.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(handler);
    return call(
        () -> {
          router.subscribe(topic);
          return null;
        });
  }

  /** Leaves {@code topic} and drops its handlers. */
  public CompletableFuture<Void> unsubscribe(String topic) {
    checkTopic(topic);
    handlers.remove(topic);
    return call(
        () -> {
          router.unsubscribe(topic);
          return null;
        });
  }

  /**
   * Publishes {@code data} to {@code topic} (subscribed or not). Completes with the message and its
   * first-hop recipients, possibly none; fails with {@link IllegalStateException} for a duplicate.
   */
  public CompletableFuture<PublishResult> publish(String topic, byte[] data) {
    checkTopic(topic);
    byte[] copy = Objects.requireNonNull(data, "data").clone();
    return call(
        () -> {
          GossipRouter.Published p = router.publish(topic, copy);
          return new PublishResult(p.message(), p.recipients());
        });
  }

  /** Sets the validator of {@code topic}, replacing an earlier one. */
  public void addValidator(String topic, TopicValidator validator) {
    checkTopic(topic);
    Objects.requireNonNull(validator, "validator");
    run(() -> router.addValidator(topic, validator));
  }

  /** Removes the validator of {@code topic}. */
  public void removeValidator(String topic) {
    run(() -> router.removeValidator(topic));
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

  /** Outbound RPCs dropped because a peer's queue was full or its stream was gone. */
  public long droppedRpcs() {
    return droppedRpcs.get();
  }

  /** Inbound RPCs refused so far: oversized, malformed, or over a per-RPC limit. */
  public CompletableFuture<Long> rejectedRpcs() {
    return call(() -> badInboundRpcs.get() + router.rejectedRpcs);
  }

  /**
   * Inbound RPCs dropped unread because the peer sent them faster than the router handled them (see
   * {@link GossipSubConfig#inboundQueueBytes()}).
   */
  public long droppedInboundRpcs() {
    return droppedInboundRpcs.get();
  }

  /** Messages not handed to a handler because the delivery queue was full. */
  public long droppedDeliveries() {
    return droppedDeliveries.get();
  }

  private static void checkTopic(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("topic must be a non-empty string");
    }
  }

  /**
   * Removes the protocols and listener, closes the outbound streams, resets the inbound ones and
   * stops the threads. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    closed = true;
    host.removeListener(listener);
    for (String p : PROTOCOLS) {
      host.removeStreamHandler(p);
    }
    loop.execute(
        () -> {
          writers.values().forEach(PeerWriter::close);
          writers.clear();
          inbound.values().forEach(Stream::reset);
          inbound.clear();
        });
    loop.shutdown();
    delivery.shutdown();
  }
}
