package org.lotusia.swapsig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.swapsig.plan.Member;
import org.lotusia.swapsig.plan.PoolPlan;
import org.lotusia.swapsig.wire.ParticipantRegistration;

/**
 * The deterministic order of a pool's participants (reference 1.17.1): ascending by {@code
 * SHA256(poolId || signer key)}. Signer keys are fresh for each pool, so nobody can choose a place
 * in the ring, and the creator, who only decides who takes part, cannot either. Stateless.
 */
final class RosterOrder {

  private RosterOrder() {}

  /** The registrations in pool order. */
  static List<ParticipantRegistration> order(String poolId, List<ParticipantRegistration> regs) {
    byte[] pool = HexFormat.of().parseHex(poolId);
    List<ParticipantRegistration> out = new ArrayList<>(regs);
    out.sort(
        (a, b) ->
            Arrays.compareUnsigned(
                Hashes.sha256(pool, a.signerKey()), Hashes.sha256(pool, b.signerKey())));
    return out;
  }

  /** The plan of ordered registrations. */
  static PoolPlan plan(org.lotusia.swapsig.wire.PoolAnnouncement a, List<ParticipantRegistration> ordered) {
    HexFormat hex = HexFormat.of();
    List<Member> members = new ArrayList<>();
    for (ParticipantRegistration r : ordered) {
      members.add(new Member(r.signerKey(), hex.parseHex(r.inputPublicKey()), r.input()));
    }
    return new PoolPlan(a.poolId(), a.params(), members);
  }
}
