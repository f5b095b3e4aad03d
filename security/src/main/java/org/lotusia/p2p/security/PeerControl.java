package org.lotusia.p2p.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Manual ban control and per-peer queries of the {@link CoreSecurityManager}. Thread-safe: each
 * peer's state is read and changed under its own monitor, and events are published after the lock
 * is released.
 */
final class PeerControl {

  private final PeerTable peers;
  private final BanEscalation bans;
  private final EventPublisher publisher;

  PeerControl(PeerTable peers, BanEscalation bans, EventPublisher publisher) {
    this.peers = peers;
    this.bans = bans;
    this.publisher = publisher;
  }

  /** See {@link CoreSecurityManager#warnPeer(String, String)}. */
  void warn(String peerId, String reason, long now) {
    List<SecurityEvent> events = new ArrayList<>(3);
    PeerState st = peers.getOrCreate(peerId, now);
    synchronized (st) {
      st.lastActivity = now;
      bans.warnLocked(st, reason, now, events);
    }
    publisher.publish(events);
  }

  /** See {@link CoreSecurityManager#banPeer(String, String)}. */
  void ban(String peerId, String reason, long now) {
    List<SecurityEvent> events = new ArrayList<>(1);
    PeerState st = peers.getOrCreate(peerId, now);
    synchronized (st) {
      BanEscalation.banLocked(st, reason, events);
    }
    publisher.publish(events);
  }

  /** See {@link CoreSecurityManager#tempBanPeer(String, Duration, String)}. */
  void tempBan(String peerId, Duration duration, String reason, long now) {
    List<SecurityEvent> events = new ArrayList<>(1);
    PeerState st = peers.getOrCreate(peerId, now);
    synchronized (st) {
      bans.tempBanLocked(st, duration, reason, now, events);
    }
    publisher.publish(events);
  }

  /** See {@link CoreSecurityManager#unbanPeer(String)}. */
  boolean unban(String peerId) {
    PeerState st = peers.peek(peerId);
    if (st == null) {
      return false;
    }
    boolean had;
    synchronized (st) {
      had =
          st.banned
              || st.tempBanUntil != PeerState.NEVER
              || st.warnings > 0
              || st.invalidEvents > 0;
      st.banned = false;
      st.tempBanUntil = PeerState.NEVER;
      st.warnings = 0;
      st.invalidEvents = 0;
    }
    if (had) {
      publisher.publish(List.of(new SecurityEvent.PeerUnbanned(peerId)));
    }
    return had;
  }

  /** See {@link CoreSecurityManager#getBannedPeers()}. */
  Set<String> bannedPeers() {
    Set<String> out = new TreeSet<>();
    peers.forEach(
        st -> {
          synchronized (st) {
            if (st.banned) {
              out.add(st.peerId);
            }
          }
        });
    return out;
  }

  /** One value of a peer's state read under its lock, or 0 if the peer has no state. */
  int read(String peerId, ToIntFunction<PeerState> field) {
    PeerState st = peers.peek(peerId);
    if (st == null) {
      return 0;
    }
    synchronized (st) {
      return field.applyAsInt(st);
    }
  }

  /** The peer counts of the metrics, by scanning the tracked peers. */
  CoreSecurityMetrics.Peers peerCounts(long now) {
    int[] p = new int[3];
    peers.forEach(
        st -> {
          synchronized (st) {
            if (st.banned) {
              p[0]++;
            } else if (st.tempBanned(now)) {
              p[1]++;
            }
            if (st.warnings > 0) {
              p[2]++;
            }
          }
        });
    return new CoreSecurityMetrics.Peers(p[0], p[1], p[2]);
  }
}
