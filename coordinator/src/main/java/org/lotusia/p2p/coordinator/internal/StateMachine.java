package org.lotusia.p2p.coordinator.internal;

import java.util.Optional;
import org.lotusia.p2p.coordinator.ConnectionState;
import org.lotusia.p2p.coordinator.P2PEvent;

/**
 * The connection state (reference section 1.5, with downgrades). {@link #evaluate()} derives the
 * state from the connected peers and the DHT routing table and publishes every transition; it runs
 * on the service scheduler, periodically and after peer and routing-table events. {@link
 * #set(ConnectionState, String)} forces a state at start, stop and on error.
 *
 * <p>Thread-safe: transitions are serialized on {@code this}; events are published outside.
 */
public final class StateMachine {

  private final EventBus events;
  private final java.time.Clock clock;
  private ConnectionState state = ConnectionState.DISCONNECTED;
  private String error;
  private boolean hadPeers;
  private boolean dhtWasReady;

  /**
   * Creates the machine in {@link ConnectionState#DISCONNECTED}.
   *
   * @param events where transitions are published
   * @param clock timestamps
   */
  public StateMachine(EventBus events, java.time.Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * The current state.
   *
   * @return the state
   */
  public synchronized ConnectionState state() {
    return state;
  }

  /**
   * The error of {@link ConnectionState#ERROR}.
   *
   * @return the message, or empty
   */
  public synchronized Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /**
   * Forces a state (start, stop, failure). Leaving the running states forgets the peer history.
   *
   * @param next the state
   * @param why the error message for {@link ConnectionState#ERROR}, else null
   */
  public void set(ConnectionState next, String why) {
    P2PEvent e;
    synchronized (this) {
      if (!next.isRunning() || next == ConnectionState.CONNECTING) {
        hadPeers = false;
        dhtWasReady = false;
      }
      e = transitionLocked(next, why);
    }
    if (e != null) {
      events.publish(e);
    }
  }

  private P2PEvent transitionLocked(ConnectionState next, String why) {
    ConnectionState previous = state;
    state = next;
    error = next == ConnectionState.ERROR ? why : null;
    return previous == next
        ? null
        : new P2PEvent.StateChanged(previous, next, Optional.ofNullable(why), clock.instant());
  }

  /**
   * Re-derives the state of a running node.
   *
   * @param ctx the run
   * @param bootstrapConfigured whether lost peers are redialled (then zero peers is {@link
   *     ConnectionState#RECONNECTING})
   */
  public void evaluate(Context ctx, boolean bootstrapConfigured) {
    int peers = ctx.host().connectedPeers().size();
    int table = ctx.dht().map(d -> d.routingTableSize()).orElse(0);
    ConnectionState next;
    P2PEvent changed;
    boolean readyEdge = false;
    synchronized (this) {
      if (!state.isRunning()) {
        return;
      }
      if (peers > 0) {
        hadPeers = true;
      }
      if (peers == 0) {
        next = hadPeers && bootstrapConfigured ? ConnectionState.RECONNECTING : ConnectionState.CONNECTING;
      } else if (ctx.dht().isEmpty()) {
        next = ConnectionState.CONNECTED;
      } else if (table == 0) {
        next = ConnectionState.DHT_INITIALIZING;
      } else if (table < ctx.config().monitor().fullyOperationalPeers()) {
        next = ConnectionState.DHT_READY;
      } else {
        next = ConnectionState.FULLY_OPERATIONAL;
      }
      if (table > 0 && !dhtWasReady) {
        readyEdge = true;
      }
      dhtWasReady = table > 0;
      changed = transitionLocked(next, null);
    }
    if (readyEdge) {
      String mode = ctx.dht().get().isServerMode() ? "server" : "client";
      events.publish(new P2PEvent.DhtReady(table, mode, clock.instant()));
    }
    if (changed != null) {
      events.publish(changed);
    }
  }
}
