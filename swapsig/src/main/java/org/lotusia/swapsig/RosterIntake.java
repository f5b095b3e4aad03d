package org.lotusia.swapsig;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.swapsig.wire.ParticipantDropped;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.ParticipantRegistration;
import org.lotusia.swapsig.wire.Roster;

/**
 * A participant's checks of a roster the creator sent: a later round, bounds, its own registration
 * unchanged, no key, peer or input twice, every registration's signature and ownership proof, no
 * participant added after the first round, and on chain every other member's input. A member whose
 * input fails is reported to the creator ({@code swapsig:participant-dropped}), which may start a
 * new round without it. Confined to the service thread.
 */
final class RosterIntake {

  /** Where verdicts go. */
  interface Host {
    /** The roster passed every check. */
    void rosterAccepted(Roster r);

    /** This participant is excluded by the roster. */
    void excluded(String reason);

    /** The roster breaks the rules; it is ignored. */
    void rosterRefused(String reason);

    /** The chain could not be asked. */
    void fail(String reason);
  }

  private final Services svc;
  private final PoolAnnouncement announcement;
  private final ParticipantRegistration mine;
  private final PrivateKey signerKey;
  private final Host host;
  private int checkingRound;

  RosterIntake(Services svc, PoolAnnouncement announcement, ParticipantRegistration mine, PrivateKey signerKey, Host host) {
    this.svc = svc;
    this.announcement = announcement;
    this.mine = mine;
    this.signerKey = signerKey;
    this.host = host;
  }

  /**
   * @param r a roster signed by the creator
   * @param current the round in progress, or null before the first
   */
  void offer(Roster r, RoundContext current) {
    if ((current != null && r.round() <= current.round()) || r.round() <= checkingRound) {
      return;
    }
    Optional<Roster.Exclusion> out =
        r.excluded().stream().filter(x -> x.publicKey().equals(mine.publicKey())).findFirst();
    if (out.isPresent()) {
      host.excluded("excluded by the creator: " + out.get().reason());
      return;
    }
    Optional<String> problem = problem(r, current);
    if (problem.isPresent()) {
      host.rosterRefused("roster round " + r.round() + " refused: " + problem.get());
      return;
    }
    checkingRound = r.round();
    List<ParticipantRegistration> others =
        r.participants().stream().filter(x -> !x.publicKey().equals(mine.publicKey())).toList();
    svc.hop(
        RegistrationCheck.onChain(svc.chain, others),
        (res, err) -> {
          if (checkingRound != r.round()) {
            return;
          }
          if (err != null) {
            host.fail("could not check the roster's inputs: " + err.getMessage());
            return;
          }
          boolean ok = true;
          for (int i = 0; i < others.size(); i++) {
            if (res.get(i).isPresent()) {
              ok = false;
              report(r.round(), others.get(i), res.get(i).get());
            }
          }
          if (ok) {
            host.rosterAccepted(r);
          }
        });
  }

  private Optional<String> problem(Roster r, RoundContext current) {
    PoolParameters p = announcement.params();
    List<ParticipantRegistration> regs = r.participants();
    if (!r.poolId().equals(announcement.poolId())) {
      return Optional.of("it is for another pool");
    }
    if (regs.size() < p.minParticipants() || regs.size() > p.maxParticipants()) {
      return Optional.of(regs.size() + " participants, outside the pool's bounds");
    }
    if (regs.stream().noneMatch(x -> x.equals(mine))) {
      return Optional.of("it lacks this participant's registration");
    }
    Set<String> keys = new HashSet<>();
    Set<String> peers = new HashSet<>();
    Set<String> inputs = new HashSet<>();
    for (ParticipantRegistration x : regs) {
      if (!keys.add(x.publicKey()) || !peers.add(x.peerId()) || !inputs.add(x.input().toString())) {
        return Optional.of("a key, peer or input appears twice");
      }
      Optional<String> bad = RegistrationCheck.offline(x, announcement);
      if (bad.isPresent()) {
        return Optional.of("registration of " + x.peerId() + ": " + bad.get());
      }
    }
    if (current != null) {
      Set<String> before = new HashSet<>();
      current.members().forEach(m -> before.add(m.publicKey()));
      if (!before.containsAll(keys)) {
        return Optional.of("it adds participants after registration closed");
      }
    }
    return Optional.empty();
  }

  private void report(int round, ParticipantRegistration accused, String reason) {
    ParticipantDropped d =
        new ParticipantDropped(
            announcement.poolId(), round, accused.peerId(), accused.publicKey(), reason,
            mine.publicKey(), svc.now(), null);
    svc.outbox.send(announcement.creatorPeerId(), d, signerKey);
  }
}
