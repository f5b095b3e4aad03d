package org.lotusia.libp2p.internal.host;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.libp2p.ConnectionClosedException;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.identify.IdentifyInfo;

/**
 * The futures of {@link org.lotusia.libp2p.Host#identified(PeerId)}.
 *
 * <p>Each connection keeps the outcome of its latest identify ({@link Outcome}, on the {@link
 * ConnectionImpl}). The answer for a peer is derived from its currently registered connections: the
 * most recent successful message on any of them; otherwise, while one of them is still identifying,
 * a wait; otherwise (no connection, or identify failed on all) a failure.
 *
 * <p>Thread-safe. Waiters are guarded by {@code this}; every decision re-reads the registry while
 * holding the lock, and the registry removes a connection before it reports the removal here, so a
 * waiter registered for a peer whose last connection is closing is always failed. Futures complete
 * on the callback executor, outside the lock.
 */
final class PeerIdentification {

  /**
   * The result of identify on one connection: {@code info} or {@code error}; {@code seq} orders
   * successes across connections.
   */
  record Outcome(IdentifyInfo info, Throwable error, long seq) {}

  private final HostImpl host;
  private final ConnectionRegistry registry;
  private final AtomicLong seq = new AtomicLong();
  private final Map<PeerId, List<CompletableFuture<IdentifyInfo>>> waiters = new HashMap<>();

  PeerIdentification(HostImpl host, ConnectionRegistry registry) {
    this.host = host;
    this.registry = registry;
  }

  /** See {@link org.lotusia.libp2p.Host#identified(PeerId)}. */
  CompletableFuture<IdentifyInfo> identified(PeerId peer) {
    CompletableFuture<IdentifyInfo> result = host.track(new CompletableFuture<>());
    if (result.isDone()) {
      return result;
    }
    Outcome now;
    synchronized (this) {
      now = answer(peer);
      if (now == null) {
        waiters.computeIfAbsent(peer, p -> new ArrayList<>()).add(result);
      }
    }
    if (now != null) {
      complete(List.of(result), now);
    } else {
      // A waiter failed by host close leaves the list.
      result.whenComplete((v, e) -> forget(peer, result));
    }
    return result;
  }

  /** Identify (or a push) on {@code conn} delivered {@code info}; the peer store is updated. */
  void succeeded(ConnectionImpl conn, IdentifyInfo info) {
    conn.identifyOutcome(new Outcome(info, null, seq.incrementAndGet()));
    settle(conn.remotePeer());
  }

  /** Identify on {@code conn} failed; a success already recorded on it is kept. */
  void failed(ConnectionImpl conn, Throwable error) {
    Outcome before = conn.identifyOutcome();
    if (before == null || before.info() == null) {
      conn.identifyOutcome(new Outcome(null, error, seq.incrementAndGet()));
    }
    settle(conn.remotePeer());
  }

  /** The registry forgot {@code conn}. */
  void removed(ConnectionImpl conn) {
    settle(conn.remotePeer());
  }

  private void settle(PeerId peer) {
    List<CompletableFuture<IdentifyInfo>> done;
    Outcome now;
    synchronized (this) {
      if (!waiters.containsKey(peer)) {
        return;
      }
      now = answer(peer);
      if (now == null) {
        return;
      }
      done = waiters.remove(peer);
    }
    complete(done, now);
  }

  private synchronized void forget(PeerId peer, CompletableFuture<IdentifyInfo> f) {
    List<CompletableFuture<IdentifyInfo>> list = waiters.get(peer);
    if (list != null && list.remove(f) && list.isEmpty()) {
      waiters.remove(peer);
    }
  }

  /** The answer for {@code peer} now, or null to wait. Called holding the lock. */
  private Outcome answer(PeerId peer) {
    List<ConnectionImpl> conns = registry.connections(peer);
    if (conns.isEmpty()) {
      return new Outcome(
          null,
          new ConnectionClosedException("peer " + peer + " is not connected (or disconnected)"),
          0);
    }
    Outcome best = null;
    Outcome lastError = null;
    boolean pending = false;
    for (ConnectionImpl c : conns) {
      Outcome o = c.identifyOutcome();
      if (o == null) {
        pending = true;
      } else if (o.info() != null) {
        if (best == null || o.seq() > best.seq()) {
          best = o;
        }
      } else if (lastError == null || o.seq() > lastError.seq()) {
        lastError = o;
      }
    }
    if (best != null) {
      return best;
    }
    return pending ? null : lastError;
  }

  private void complete(List<CompletableFuture<IdentifyInfo>> futures, Outcome outcome) {
    for (CompletableFuture<IdentifyInfo> f : futures) {
      host.completeLater(f, outcome.info(), outcome.error());
    }
  }
}
