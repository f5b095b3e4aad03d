package org.lotusia.p2p.coordinator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.lotusia.libp2p.crypto.KeyFiles;
import org.lotusia.libp2p.crypto.KeyType;
import org.lotusia.libp2p.crypto.Keys;
import org.lotusia.libp2p.crypto.IdentityPrivateKey;
import org.lotusia.p2p.coordinator.internal.EventBus;
import org.lotusia.p2p.coordinator.internal.Futures;
import org.lotusia.p2p.coordinator.internal.HandlerRegistry;
import org.lotusia.p2p.coordinator.internal.NodeRun;
import org.lotusia.p2p.coordinator.internal.StateMachine;
import org.lotusia.p2p.coordinator.resource.LocalResources;
import org.lotusia.p2p.security.CoreSecurityManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Life cycle of a {@link P2PCoordinator}: the identity (loaded or created on the first start, kept
 * across runs), the current {@link NodeRun}, a start that waits for a stop still in progress, and
 * the final close that ends the coordinator's own threads. The parts a run is built from (security
 * manager, events, handlers, resources, state) belong to the coordinator and outlive every run.
 *
 * <p>Thread-safe: changes happen under this object's monitor; {@link #current()} reads the run
 * without locking.
 */
final class NodeLifecycle {

  // the coordinator's logger, so that one logger configuration covers the coordinator
  private static final Logger LOG = LoggerFactory.getLogger(P2PCoordinator.class);

  private final P2PConfig config;
  private final CoreSecurityManager security;
  private final EventBus events;
  private final HandlerRegistry handlers;
  private final LocalResources resources;
  private final StateMachine state;
  private final Executor callbacks;
  private final ExecutorService ownedCallbacks;
  private final ScheduledThreadPoolExecutor scheduler;
  private IdentityPrivateKey identity;
  private volatile NodeRun run;
  private CompletableFuture<Void> stopping = CompletableFuture.completedFuture(null);
  private boolean closed;

  /**
   * @param ownedCallbacks the callback pool the coordinator created, shut down by {@link #close()};
   *     {@code null} when the callback executor was given in the configuration
   */
  NodeLifecycle(
      P2PConfig config,
      CoreSecurityManager security,
      EventBus events,
      HandlerRegistry handlers,
      LocalResources resources,
      StateMachine state,
      Executor callbacks,
      ExecutorService ownedCallbacks,
      ScheduledThreadPoolExecutor scheduler) {
    this.config = config;
    this.security = security;
    this.events = events;
    this.handlers = handlers;
    this.resources = resources;
    this.state = state;
    this.callbacks = callbacks;
    this.ownedCallbacks = ownedCallbacks;
    this.scheduler = scheduler;
    config.identity().ifPresent(k -> this.identity = k);
  }

  /**
   * @return the identity, or {@code null} before the first start (unless configured)
   */
  synchronized IdentityPrivateKey identity() {
    return identity;
  }

  /**
   * @return the current run, or {@code null} when the node is not started
   */
  NodeRun current() {
    return run;
  }

  /**
   * @return the current run
   * @throws IllegalStateException when the node is not started
   */
  NodeRun running() {
    NodeRun r = run;
    if (r == null) {
      throw new IllegalStateException("node is not started");
    }
    return r;
  }

  /** See {@link P2PCoordinator#start()}. */
  CompletableFuture<Void> start() {
    NodeRun next;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("coordinator was closed"));
      }
      if (run != null) {
        return CompletableFuture.failedFuture(new IllegalStateException("node is already started"));
      }
      state.set(ConnectionState.CONNECTING, null);
      try {
        if (identity == null) {
          identity =
              config.identityFile().isPresent()
                  ? KeyFiles.loadOrCreate(config.identityFile().get(), KeyType.ED25519)
                  : Keys.generateEd25519();
        }
        next =
            new NodeRun(
                config, identity, security, events, handlers, resources, state, callbacks, scheduler);
      } catch (RuntimeException e) {
        state.set(ConnectionState.ERROR, String.valueOf(e.getMessage()));
        return CompletableFuture.failedFuture(e);
      }
      run = next;
    }
    CompletableFuture<Void> started = stopping.thenCompose(v -> next.start());
    return started.handle(
        (v, e) -> {
          if (e == null) {
            LOG.info("coordinator {} started on {}", next.ctx.selfId(), next.ctx.host().listenAddresses());
            return CompletableFuture.<Void>completedFuture(null);
          }
          Throwable cause = Futures.unwrap(e);
          synchronized (this) {
            if (run == next) {
              run = null;
            }
          }
          return next.stop()
              .handle((x, y) -> null)
              .thenCompose(
                  x -> {
                    state.set(ConnectionState.ERROR, String.valueOf(cause.getMessage()));
                    return CompletableFuture.<Void>failedFuture(cause);
                  });
        })
        .thenCompose(f -> f);
  }

  /** See {@link P2PCoordinator#stop()}. */
  CompletableFuture<Void> stop() {
    NodeRun current;
    synchronized (this) {
      current = run;
      run = null;
      if (current == null) {
        return stopping;
      }
      stopping = current.stop().handle((v, e) -> null);
    }
    return stopping.thenRun(() -> state.set(ConnectionState.DISCONNECTED, null));
  }

  /** See {@link P2PCoordinator#close()}. */
  void close() {
    synchronized (this) {
      closed = true;
    }
    try {
      stop().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("coordinator did not stop within 10 s", e);
    }
    scheduler.shutdownNow();
    if (ownedCallbacks != null) {
      ownedCallbacks.shutdown();
    }
  }
}
