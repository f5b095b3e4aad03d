package org.lotusia.libp2p.protocol.kad;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.lotusia.libp2p.PeerId;

/**
 * One lookup run as {@code d} disjoint paths (S/Kademlia, as go-libp2p and js-libp2p offer): the
 * starting peers are dealt to the paths in turn, closest first, and a peer asked by one path is
 * never asked by another (their {@link QueryState}s share one {@link QueryState.Group}), so one
 * path of dishonest peers cannot steer the whole lookup. The result is the {@code k} closest peers
 * that answered on any path. With {@code d = 1} it is a plain Kademlia lookup.
 *
 * <p>A {@link QueryListener} sees the events of all paths on one serial executor and one {@link
 * QueryListener#finished} with the combined figures (rounds: the most of any path). Runs on the
 * DHT's executor; the result completes there.
 */
final class DisjointLookup {

  /** Creates and starts the lookup of one path. */
  interface PathRunner {
    CompletableFuture<List<PeerId>> run(QueryState path, QueryListener listener, Executor events);
  }

  private DisjointLookup() {}

  /**
   * Runs the lookup.
   *
   * @param start the starting peers
   * @param paths the number of paths, at least 1
   * @param newPath makes the state of one path in the shared group
   * @param listener the caller's listener, or null
   * @param events the serial executor for the listener (unused without one)
   * @param executor the DHT's executor
   */
  static CompletableFuture<List<PeerId>> run(
      KadKey target,
      int k,
      List<PeerId> start,
      int paths,
      Function<QueryState.Group, QueryState> newPath,
      PathRunner runner,
      QueryListener listener,
      Executor events,
      Executor executor,
      Instant started) {
    QueryState.Group group = new QueryState.Group();
    List<QueryState> states = new ArrayList<>();
    List<List<PeerId>> dealt = new ArrayList<>();
    for (int i = 0; i < paths; i++) {
      states.add(newPath.apply(group));
      dealt.add(new ArrayList<>());
    }
    List<PeerId> sorted = new ArrayList<>(new LinkedHashSet<>(start));
    sorted.sort(Comparator.comparing(KadKey::of, target::compareDistance));
    for (int i = 0; i < sorted.size(); i++) {
      dealt.get(i % paths).add(sorted.get(i));
    }
    List<QueryStats> pathStats = new ArrayList<>();
    QueryListener forward = listener == null ? null : new Forward(listener, pathStats);
    List<CompletableFuture<List<PeerId>>> running = new ArrayList<>();
    for (int i = 0; i < paths; i++) {
      states.get(i).addCandidates(dealt.get(i));
      running.add(runner.run(states.get(i), forward, events));
    }
    return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
        .thenCompose(
            v -> {
              Set<PeerId> all = new LinkedHashSet<>();
              running.forEach(f -> all.addAll(f.join()));
              List<PeerId> closest = new ArrayList<>(all);
              closest.sort(Comparator.comparing(KadKey::of, target::compareDistance));
              List<PeerId> result = List.copyOf(closest.subList(0, Math.min(k, closest.size())));
              if (listener == null) {
                return CompletableFuture.completedFuture(result);
              }
              CompletableFuture<List<PeerId>> done = new CompletableFuture<>();
              try {
                // pathStats is written on the serial executor; read it there, after every path
                events.execute(
                    () -> {
                      notifyFinished(listener, combine(pathStats, started));
                      runOn(executor, () -> done.complete(result));
                    });
              } catch (RejectedExecutionException e) {
                done.complete(result);
              }
              return done;
            });
  }

  private static QueryStats combine(List<QueryStats> paths, Instant started) {
    int rounds = 0;
    int queried = 0;
    int succeeded = 0;
    int failed = 0;
    Duration elapsed = Duration.ZERO;
    boolean early = false;
    for (QueryStats s : paths) {
      rounds = Math.max(rounds, s.rounds());
      queried += s.peersQueried();
      succeeded += s.peersSucceeded();
      failed += s.peersFailed();
      elapsed = elapsed.compareTo(s.elapsed()) >= 0 ? elapsed : s.elapsed();
      early |= s.stoppedEarly();
    }
    return new QueryStats(rounds, queried, succeeded, failed, elapsed, early);
  }

  private static void notifyFinished(QueryListener l, QueryStats s) {
    try {
      l.finished(s);
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(DisjointLookup.class)
          .warn("query listener {} threw", l, e);
    }
  }

  private static void runOn(Executor executor, Runnable r) {
    try {
      executor.execute(r);
    } catch (RejectedExecutionException e) {
      r.run(); // the DHT closed: its pending futures have already failed
    }
  }

  /** Passes each path's events on, and keeps each path's end for the combined one. */
  private record Forward(QueryListener to, List<QueryStats> ends) implements QueryListener {
    @Override
    public void peerQueried(PeerId peer, int round) {
      to.peerQueried(peer, round);
    }

    @Override
    public void peerResponded(PeerId peer, int round, List<PeerId> closer) {
      to.peerResponded(peer, round, closer);
    }

    @Override
    public void peerFailed(PeerId peer, int round) {
      to.peerFailed(peer, round);
    }

    @Override
    public void finished(QueryStats stats) {
      ends.add(stats);
    }
  }
}
