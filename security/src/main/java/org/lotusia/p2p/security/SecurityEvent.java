package org.lotusia.p2p.security;

import java.time.Duration;

/** Ban-state changes published by the {@link CoreSecurityManager}. */
public sealed interface SecurityEvent
    permits SecurityEvent.PeerWarned,
        SecurityEvent.PeerTempBanned,
        SecurityEvent.PeerBanned,
        SecurityEvent.PeerUnbanned {

  /**
   * The peer the event is about.
   *
   * @return its peer id
   */
  String peerId();

  /**
   * A peer received a warning ({@code peer:warned}).
   *
   * @param peerId the peer
   * @param warningCount its warnings including this one
   * @param reason reason code, for example {@code oversized-message}
   */
  record PeerWarned(String peerId, int warningCount, String reason) implements SecurityEvent {}

  /**
   * A peer was banned for a while ({@code peer:temp-banned}).
   *
   * @param peerId the peer
   * @param duration ban length
   * @param untilMillis end of the ban, epoch ms of the manager's clock
   * @param reason reason code, for example {@code repeated-warnings}
   */
  record PeerTempBanned(String peerId, Duration duration, long untilMillis, String reason)
      implements SecurityEvent {}

  /**
   * A peer was banned permanently ({@code peer:banned}); published once per ban.
   *
   * @param peerId the peer
   * @param reason reason code, for example {@code excessive-warnings}
   */
  record PeerBanned(String peerId, String reason) implements SecurityEvent {}

  /**
   * A peer's bans and warnings were cleared ({@code peer:unbanned}).
   *
   * @param peerId the peer
   */
  record PeerUnbanned(String peerId) implements SecurityEvent {}
}
