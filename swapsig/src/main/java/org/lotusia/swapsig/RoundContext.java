package org.lotusia.swapsig;

import java.util.HexFormat;
import java.util.List;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.swapsig.crypto.DestinationCipher;
import org.lotusia.swapsig.plan.PoolPlan;
import org.lotusia.swapsig.wire.PoolAnnouncement;
import org.lotusia.swapsig.wire.ParticipantRegistration;

/**
 * What one participant knows of one roster round once it accepted it: the members in pool order,
 * the plan, its own index and its secrets. Immutable (the keys are owned by the participation).
 *
 * @param announcement the pool
 * @param round the roster round
 * @param members the registrations in pool order
 * @param plan the transactions of the round
 * @param me this participant's index
 * @param signerKey this participant's signer key
 * @param encryption this participant's X25519 key pair
 * @param request what this participant swaps
 * @param salt the salt of its destination commitment
 */
record RoundContext(
    PoolAnnouncement announcement,
    int round,
    List<ParticipantRegistration> members,
    PoolPlan plan,
    int me,
    PrivateKey signerKey,
    DestinationCipher.KeyPair encryption,
    SwapRequest request,
    byte[] salt) {

  String poolId() {
    return announcement.poolId();
  }

  PoolParameters params() {
    return announcement.params();
  }

  int size() {
    return members.size();
  }

  String myKeyHex() {
    return HexFormat.of().formatHex(signerKey.publicKeyBytes());
  }

  /** The member with this signer key, or -1. */
  int indexOf(String signerKeyHex) {
    for (int i = 0; i < members.size(); i++) {
      if (members.get(i).publicKey().equals(signerKeyHex)) {
        return i;
      }
    }
    return -1;
  }
}
