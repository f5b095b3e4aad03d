package org.lotusia.p2p.coordinator.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.lotusia.libp2p.ConnectionGater;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.protocol.kad.InboundRecordFilter;
import org.lotusia.p2p.coordinator.P2PEvent;
import org.lotusia.p2p.coordinator.ResourceAnnouncement;
import org.lotusia.p2p.coordinator.resource.ResourceCodec;
import org.lotusia.p2p.security.CoreSecurityManager;
import org.lotusia.p2p.security.SecurityDecision;
import org.lotusia.p2p.security.SecurityEvent;
import org.lotusia.p2p.security.SecurityEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the security manager into the paths the host and the DHT own: a connection gater (a
 * banned peer's connections are refused after the handshake, and no dial to it is started), the
 * DHT's inbound record filter (every {@code resource:} record a peer stores here counts against
 * that peer's announcement rate limit and quotas, and frees its quota slot when it expires; a
 * newer copy of the record, such as its owner's withdrawal record, sets when that is), and
 * the ban events (a banned peer is disconnected and a {@link P2PEvent.PeerBanned} published).
 *
 * <p>Thread-safe. The gater and the listener run on the host's callback executor, the filter on
 * the DHT's thread; all are cheap.
 */
public final class SecurityGate implements ConnectionGater, InboundRecordFilter, SecurityEventListener {

  private static final Logger LOG = LoggerFactory.getLogger(SecurityGate.class);
  private static final long RELEASE_EVERY_MILLIS = 1000;

  private final Context ctx;
  private final CoreSecurityManager security;
  private final Map<String, Stored> stored = new LinkedHashMap<>();
  private volatile long releasedAt;

  private record Stored(String sender, String type, String id, long until) {}

  /**
   * Creates the gate for one run.
   *
   * @param ctx the run
   */
  public SecurityGate(Context ctx) {
    this.ctx = ctx;
    this.security = ctx.security();
  }

  @Override
  public boolean allowDial(PeerId peer) {
    return security.isAllowed(peer.toBase58());
  }

  @Override
  public boolean allowSecured(PeerId peer, Direction direction, Multiaddr remoteAddress) {
    SecurityDecision d = security.checkConnection(peer.toBase58());
    if (!d.accepted()) {
      LOG.debug("{} connection with {} refused: {}", direction, peer, d.reason().code());
    }
    return d.accepted();
  }

  @Override
  public boolean accept(PeerId from, byte[] key, byte[] value) {
    if (!ResourceCodec.isResourceKey(key)) {
      return true; // other namespaces: their validators decide
    }
    ResourceAnnouncement a;
    try {
      a = ResourceCodec.decode(value); // already validated by the record policy
    } catch (IllegalArgumentException e) {
      return false;
    }
    String sender = from.toBase58();
    long now = ctx.clock().millis();
    if (now - releasedAt >= RELEASE_EVERY_MILLIS) {
      releaseExpired(); // quota slots of expired records are free before the check, not minutes later
    }
    SecurityDecision d =
        security.checkResourceAnnouncement(sender, a.resourceType(), a.resourceId(), a.data());
    if (!d.accepted()) {
      LOG.debug("record {} from {} refused: {}", new String(key, StandardCharsets.UTF_8), sender, d.reason().code());
      return false;
    }
    long until =
        a.expiresAt().orElse(a.createdAt() + ctx.config().resources().maxRecordAge().toMillis());
    synchronized (stored) {
      stored.put(sender + "\n" + a.key(), new Stored(sender, a.resourceType(), a.resourceId(), until));
    }
    return true;
  }

  /**
   * Frees the quota slots of records that expired. Called by the coordinator's clean-up, and before
   * a record is checked at most once a second.
   *
   * @return slots freed
   */
  public int releaseExpired() {
    long now = ctx.clock().millis();
    int n = 0;
    synchronized (stored) {
      releasedAt = now;
      for (Iterator<Stored> it = stored.values().iterator(); it.hasNext(); ) {
        Stored s = it.next();
        if (s.until() <= now) {
          it.remove();
          security.releaseResource(s.sender(), s.type(), s.id());
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public void onEvent(SecurityEvent event) {
    Optional<Instant> until;
    String reason;
    if (event instanceof SecurityEvent.PeerBanned b) {
      until = Optional.empty();
      reason = b.reason();
    } else if (event instanceof SecurityEvent.PeerTempBanned t) {
      until = Optional.of(Instant.ofEpochMilli(t.untilMillis()));
      reason = t.reason();
    } else {
      return;
    }
    PeerId peer;
    try {
      peer = PeerId.parse(event.peerId());
    } catch (IllegalArgumentException e) {
      return;
    }
    LOG.info("peer {} banned ({}); closing its connections", peer, reason);
    ctx.host().disconnect(peer);
    ctx.events().publish(new P2PEvent.PeerBanned(event.peerId(), reason, until, ctx.now()));
  }
}
