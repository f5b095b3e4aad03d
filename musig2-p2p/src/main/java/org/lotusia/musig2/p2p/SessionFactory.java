package org.lotusia.musig2.p2p;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lotusia.chain.crypto.Hashes;
import org.lotusia.chain.crypto.PrivateKey;
import org.lotusia.musig2.crypto.MuSig2Session;
import org.lotusia.musig2.p2p.wire.SessionAnnouncement;
import org.lotusia.musig2.p2p.wire.WireJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates sessions (key aggregation, session ID, signed announcement, publication) and joins
 * announced ones (announcement checks, the local key among the signers, the expected message),
 * within the table's limits. Confined to the manager's thread.
 */
final class SessionFactory {

  private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

  private final SessionServices svc;
  private final SessionTable table;
  private final AnnouncementCheck check;

  SessionFactory(SessionServices svc, SessionTable table, AnnouncementCheck check) {
    this.svc = svc;
    this.table = table;
    this.check = check;
  }

  SessionHandle create(List<byte[]> keys, PrivateKey key, byte[] message, SessionOptions options) {
    table.requireCapacity(null);
    List<byte[]> sorted = new ArrayList<>(keys);
    sorted.sort(Arrays::compareUnsigned);
    MuSig2Session musig = musig(sorted, key, message, options.taprootMerkleRoot());
    long now = svc.now();
    String id;
    do {
      id = SessionIds.generate(sorted, message, now, svc.random);
    } while (table.known(id));
    SessionAnnouncement unsigned =
        new SessionAnnouncement(
            id,
            svc.localPeerId,
            sorted,
            Hashes.sha256(message),
            now,
            now + svc.config.announcementTtl().toMillis(),
            options.metadata(),
            message,
            key.publicKeyBytes(),
            options.electionMethod(),
            options.taprootMerkleRoot(),
            options.nonceCommitments(),
            null);
    SessionAnnouncement ann =
        unsigned.withSignature(svc.network.sign(key, unsigned.signedDigest()));
    String problem = check.problem(ann);
    if (problem != null) {
      musig.abort();
      throw new IllegalArgumentException("session cannot be announced: " + problem);
    }
    ActiveSession s = new ActiveSession(svc, ann, key, musig, List.of(), 0);
    table.put(s);
    s.start();
    if (!s.phase().terminal()) {
      publish(ann);
    }
    return new SessionHandle(id, ann, s.localIndex, s.result());
  }

  private void publish(SessionAnnouncement ann) {
    String id = ann.sessionId();
    try {
      svc.network.publish(SessionAnnouncement.TOPIC, ann.toJson())
          .whenComplete((v, e) -> logFailure(e, "publication of the announcement of " + id));
      svc.network.announceResource(
              SessionAnnouncement.RESOURCE_TYPE, id, ann.toJson(), ann.expiresAt())
          .whenComplete((v, e) -> logFailure(e, "DHT announcement of " + id));
    } catch (RuntimeException e) {
      logFailure(e, "announcement of " + id);
    }
  }

  private static void logFailure(Throwable e, String what) {
    if (e != null) {
      LOG.warn("{} failed: {}", what, e.toString());
    }
  }

  SessionHandle join(SessionAnnouncement a, PrivateKey key, byte[] expected) {
    String problem = check.problem(a);
    if (problem != null) {
      throw new IllegalArgumentException("announcement of " + a.sessionId() + " refused: "
          + problem);
    }
    if (expected != null && !Arrays.equals(expected, a.message())) {
      throw new IllegalArgumentException("session " + a.sessionId() + " signs "
          + WireJson.hexOf(a.message()) + ", not the expected " + WireJson.hexOf(expected));
    }
    byte[] pub = key.publicKeyBytes();
    if (a.indexOf(pub) < 0) {
      throw new IllegalArgumentException(
          "the local key is not a signer of session " + a.sessionId());
    }
    if (Arrays.equals(pub, a.creatorPublicKey()) || a.coordinatorPeerId().equals(svc.localPeerId)) {
      throw new IllegalArgumentException("session " + a.sessionId() + " was created by this node");
    }
    if (table.known(a.sessionId())) {
      throw new IllegalStateException("session " + a.sessionId() + " is already known here");
    }
    table.requireCapacity(a.coordinatorPeerId());
    MuSig2Session musig = musig(a.signers(), key, a.message(), a.taprootMerkleRoot());
    ActiveSession s = new ActiveSession(svc, a, key, musig, List.of(), 0);
    table.put(s);
    s.start();
    return new SessionHandle(a.sessionId(), a, s.localIndex, s.result());
  }

  private MuSig2Session musig(List<byte[]> keys, PrivateKey key, byte[] message, byte[] root) {
    MuSig2Session.Builder b =
        MuSig2Session.builder()
            .publicKeys(keys)
            .message(message)
            .maxSigners(svc.config.maxSigners())
            // one verification of the final signature instead of n-1 partial verifications; a
            // partial that does not verify is still named, when the last one arrives
            .deferPartialVerification(true)
            .random(svc.random);
    byte[] secret = key.toBytes();
    try {
      b.secretKey(secret);
      if (root != null) {
        b.taproot(root);
      }
      return b.build();
    } finally {
      Arrays.fill(secret, (byte) 0);
      b.wipeSecretKey();
    }
  }
}
