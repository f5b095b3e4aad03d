package org.lotusia.musig2.p2p;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.lotusia.musig2.p2p.wire.JoinRequest;
import org.lotusia.musig2.p2p.wire.MalformedMessageException;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.SessionMessage;
import org.lotusia.musig2.p2p.wire.SessionMessages;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.p2p.protocol.ValidationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network input of a manager: counts every message against {@code maxInboundQueue} before it is
 * queued for the manager's thread (refusing beyond it), then checks the envelope, decodes the
 * payload and hands it to its session (or to the creator's relay), and checks announcements from
 * the topic before they are reported. {@link #enqueue} is thread-safe; everything else runs on the
 * manager's thread.
 */
final class InboundRouter {

  private static final Logger LOG = LoggerFactory.getLogger(InboundRouter.class);

  private final SessionServices svc;
  private final SessionTable table;
  private final AnnouncementCheck check;
  private final AnnouncementCache discovered;
  private final AtomicInteger pending = new AtomicInteger();
  private volatile boolean closed;

  InboundRouter(
      SessionServices svc, SessionTable table, AnnouncementCheck check,
      AnnouncementCache discovered) {
    this.svc = svc;
    this.table = table;
    this.check = check;
    this.discovered = discovered;
  }

  void close() {
    closed = true;
  }

  /** Queues network input; false (and counted) when closed or the queue is full. */
  boolean enqueue(Runnable task) {
    if (closed || pending.incrementAndGet() > svc.config.maxInboundQueue()) {
      pending.decrementAndGet();
      svc.metrics.inboundRefused.increment();
      return false;
    }
    try {
      svc.service.execute(
          () -> {
            pending.decrementAndGet();
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.error("unexpected failure handling a network message", e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      pending.decrementAndGet();
      svc.metrics.inboundRefused.increment();
      return false;
    }
  }

  void direct(String peer, P2PMessage env) {
    ValidationResult valid = svc.protocol.validate(env);
    if (!valid.valid()) {
      reject(null, peer, "envelope refused: " + valid.problem(), true);
      return;
    }
    SessionMessage m;
    try {
      m = SessionMessages.decode(env);
    } catch (MalformedMessageException e) {
      reject(null, peer, env.type() + " does not decode: " + e.getMessage(), true);
      return;
    }
    boolean relay = env.to() != null && !env.to().equals(svc.localPeerId);
    ActiveSession s = table.get(m.sessionId());
    if (s == null) {
      SessionTable.Tombstone t = table.finished(m.sessionId());
      if (t == null) {
        reject(m.sessionId(), peer, env.type() + " for a session not in progress here", false);
      } else if (relay && t.session() != null) {
        t.session().relay(peer, env, m);
      } else if (m instanceof JoinRequest && t.session() != null) {
        t.session().onMessage(peer, env, m, false);
      }
      return;
    }
    if (relay) {
      s.relay(peer, env, m);
    } else {
      s.onMessage(peer, env, m, false);
    }
  }

  void topic(String topic, String publisher, byte[] data) {
    if (!SessionAnnouncement.TOPIC.equals(topic)) {
      return;
    }
    SessionAnnouncement a;
    try {
      a = SessionAnnouncement.decode(
          WireJson.parseObject(data, svc.config.maxTopicMessageBytes(), "announcement"));
    } catch (MalformedMessageException e) {
      reject(null, publisher, "announcement does not decode: " + e.getMessage(), true);
      return;
    }
    if (!publisher.equals(a.coordinatorPeerId())) {
      reject(a.sessionId(), publisher, "announcement published by " + publisher
          + " names another creator, " + a.coordinatorPeerId(), true);
      return;
    }
    AnnouncementCheck.Problem problem = check.find(a);
    if (problem != null) {
      reject(a.sessionId(), publisher, "announcement refused: " + problem.reason(),
          problem.forged());
      return;
    }
    switch (discovered.offer(a, publisher, svc.now())) {
      case ADDED -> svc.events.emit(new SessionEvent.SessionDiscovered(a.sessionId(), a, publisher));
      case PEER_FULL -> reject(a.sessionId(), publisher, "more than "
          + svc.config.maxDiscoveredPerPeer() + " announcements of one peer are kept", false);
      case DUPLICATE -> { }
    }
  }

  private void reject(String sessionId, String peer, String reason, boolean violation) {
    svc.metrics.rejected.increment();
    if (violation) {
      svc.metrics.violations.increment();
    }
    LOG.debug("refused a message from {}: {}", peer, reason);
    svc.events.emit(new SessionEvent.MessageRejected(sessionId, peer, reason, violation));
  }
}
