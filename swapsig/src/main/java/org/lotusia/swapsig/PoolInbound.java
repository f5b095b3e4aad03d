package org.lotusia.swapsig;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.musig2.p2p.SessionEvent;
import org.lotusia.p2p.protocol.P2PMessage;
import org.lotusia.swapsig.wire.CanonicalJson;
import org.lotusia.swapsig.wire.MalformedSwapSigMessageException;
import org.lotusia.swapsig.wire.SwapSigMessageTypes;
import org.lotusia.swapsig.wire.ParticipantDropped;
import org.lotusia.swapsig.wire.PoolAbort;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.PoolMessage;
import org.lotusia.swapsig.wire.PoolMessages;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.SetupSubmission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Network input of a manager: bounds what waits for the service thread ({@link
 * SwapSigConfig#maxInboundQueue()}; beyond it input is refused and counted), decodes messages,
 * checks their clock, and routes them to the pool's creator side or participant side; verifies
 * announcements heard on the topic or found in the DHT; passes MuSig2 session announcements of
 * SwapSig settlements to their pool. Every refusal is a {@link SwapSigEvent.MessageRejected}.
 */
final class PoolInbound {

  private static final Logger LOG = LoggerFactory.getLogger(PoolInbound.class);

  /** Largest announcement accepted from the topic. */
  static final int MAX_ANNOUNCEMENT_BYTES = 65_536;

  private final Services svc;
  private final PoolTable table;
  private final AtomicInteger queued = new AtomicInteger();
  private final LongAdder refused = new LongAdder();
  private volatile boolean closed;

  PoolInbound(Services svc, PoolTable table) {
    this.svc = svc;
    this.table = table;
  }

  long refused() {
    return refused.sum();
  }

  void close() {
    closed = true;
  }

  boolean enqueue(Runnable task) {
    if (closed || queued.incrementAndGet() > svc.config.maxInboundQueue()) {
      queued.decrementAndGet();
      refused.increment();
      return false;
    }
    try {
      svc.service.execute(
          () -> {
            queued.decrementAndGet();
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.warn("SwapSig input failed", e);
            }
          });
      return true;
    } catch (RejectedExecutionException e) {
      queued.decrementAndGet();
      refused.increment();
      return false;
    }
  }

  boolean topic(String topic, String publisher, byte[] data) {
    if (!SwapSigMessageTypes.POOL_TOPIC.equals(topic) || data.length > MAX_ANNOUNCEMENT_BYTES) {
      refused.increment();
      return false;
    }
    return enqueue(
        () -> {
          try {
            accept(CanonicalJson.MAPPER.readTree(data), publisher);
          } catch (java.io.IOException e) {
            reject(null, publisher, "announcement is not JSON", true);
          }
        });
  }

  void direct(String peer, P2PMessage env) {
    PoolMessage m;
    try {
      if (!SwapSigMessageTypes.PROTOCOL.equals(env.protocol())) {
        throw new MalformedSwapSigMessageException("protocol must be swapsig");
      }
      m = PoolMessages.decode(env.type(), env.payload());
    } catch (MalformedSwapSigMessageException e) {
      reject(null, peer, e.getMessage(), true);
      return;
    }
    if (Math.abs(svc.now() - m.timestamp()) > svc.config.maxClockSkew().toMillis()) {
      reject(m.poolId(), peer, "timestamp outside the accepted clock skew", false);
      return;
    }
    HostedPool h = table.hosted(m.poolId());
    Participation p = table.joined(m.poolId());
    if (env.to() != null && !env.to().equals(svc.network.localPeerId())) {
      if (h == null || !h.relay(peer, env)) {
        reject(m.poolId(), peer, "relay not allowed", true);
      }
      return;
    }
    if (h == null && p == null) {
      reject(m.poolId(), peer, "no such pool here", false);
      return;
    }
    if (m instanceof ParticipantRegistration r) {
      if (h != null) {
        h.onRegistration(peer, r);
      }
    } else if (m instanceof SetupSubmission s) {
      if (h != null) {
        h.onSubmission(peer, s);
      }
    } else if (m instanceof ParticipantDropped d) {
      if (h != null) {
        h.onDropped(peer, d);
      }
    } else if (m instanceof PoolAbort a) {
      if (h != null && !a.publicKey().equals(h.announcement().creatorPublicKey())) {
        h.onMemberAbort(peer, a);
      }
      if (p != null) {
        p.onMessage(peer, env, m);
      }
    } else if (p != null) {
      p.onMessage(peer, env, m);
    }
  }

  /** Adds a topic or DHT announcement to the directory when it verifies. */
  void accept(JsonNode n, String publisher) {
    PoolAnnouncement a = verified(n, publisher);
    if (a != null && table.hosted(a.poolId()) == null && table.discovered().add(a) && publisher != null) {
      svc.events.emit(new SwapSigEvent.PoolDiscovered(a.poolId(), a, publisher));
    }
  }

  /** The announcement if it is well formed, signed by its creator, published by it and open. */
  PoolAnnouncement verified(JsonNode n, String publisher) {
    try {
      PoolAnnouncement a = PoolAnnouncement.decode(n);
      long now = svc.now();
      if (!a.verifySignature()
          || (publisher != null && !publisher.equals(a.creatorPeerId()))
          || a.expiresAt() <= now
          || a.createdAt() > now + svc.config.maxClockSkew().toMillis()) {
        reject(a.poolId(), publisher,
            "announcement is badly signed, from another peer than its creator, or expired", true);
        return null;
      }
      return a;
    } catch (MalformedSwapSigMessageException e) {
      reject(null, publisher, e.getMessage(), true);
      return null;
    }
  }

  /** A MuSig2 session event: announcements of SwapSig settlements go to their pool. */
  void session(SessionEvent e) {
    if (!(e instanceof SessionEvent.SessionDiscovered d)) {
      return;
    }
    JsonNode md = d.announcement().metadata();
    if (md == null
        || !"swap".equals(md.path("transactionType").asText())
        || !"settlement".equals(md.path("swapPhase").asText())) {
      return;
    }
    String poolId = md.path("swapPoolId").asText();
    int round = md.path("round").asInt(-1);
    int output = md.path("outputIndex").asInt(-1);
    enqueue(
        () -> {
          Participation p = table.joined(poolId);
          if (p != null) {
            p.onSessionAnnouncement(d.announcement(), round, output);
          }
        });
  }

  private void reject(String poolId, String peer, String reason, boolean violation) {
    svc.events.emit(new SwapSigEvent.MessageRejected(poolId, peer, reason, violation));
  }
}
