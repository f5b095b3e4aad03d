package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.internal.proto.PubsubProtos.ControlPrune;
import org.lotusia.libp2p.internal.proto.PubsubProtos.PeerInfo;

/**
 * PRUNE with backoff and peer exchange, per
 * https://github.com/libp2p/specs/blob/master/pubsub/gossipsub/gossipsub-v1.1.md#prune-backoff-and-peer-exchange.
 *
 * <p>Sending: a PRUNE to a meshsub 1.1+ peer carries the backoff and, with PX enabled, up to {@code
 * prunePeers} other peers of the topic that score at least 0, chosen at random, each with its
 * signed peer record when this node has one (as received through identify). Receiving: PX is
 * followed only with PX enabled and from a peer scoring at least {@code acceptPxThreshold}; at most
 * {@code prunePeers} entries of one PRUNE are taken, peers already known or malformed are skipped,
 * and each remaining one goes to {@link RouterSink#connect} with its record, which verifies the
 * record off the router thread and bounds the dials in flight. Not thread-safe; part of the router.
 */
final class PeerExchange {
  private final GossipSubConfig cfg;
  private final PeerId self;
  private final PeerTable peers;
  private final PeerScore score;
  private final Function<PeerId, Optional<byte[]>> records;
  private final Random random;
  private final RouterSink sink;

  PeerExchange(
      GossipSubConfig cfg,
      PeerId self,
      PeerTable peers,
      PeerScore score,
      Function<PeerId, Optional<byte[]>> records,
      Random random,
      RouterSink sink) {
    this.cfg = cfg;
    this.self = self;
    this.peers = peers;
    this.score = score;
    this.records = records;
    this.random = random;
    this.sink = sink;
  }

  /** A PRUNE of {@code topic} for {@code to}, with backoff and PX only for meshsub 1.1+ peers. */
  ControlPrune prune(PeerId to, String topic, long backoffMillis) {
    ControlPrune.Builder b = ControlPrune.newBuilder().setTopicID(topic);
    PeerState ps = peers.get(to);
    if (ps == null || !ps.kind().v11()) {
      return b.build();
    }
    b.setBackoff(backoffMillis / 1000);
    // spec: no PX towards peers with a negative score
    if (!cfg.doPx() || score.score(to) < 0) {
      return b.build();
    }
    List<PeerId> candidates = new ArrayList<>();
    for (PeerId p : peers.inTopic(topic)) {
      if (!p.equals(to) && score.score(p) >= 0) {
        candidates.add(p);
      }
    }
    Collections.shuffle(candidates, random);
    for (PeerId p : candidates.subList(0, Math.min(cfg.prunePeers(), candidates.size()))) {
      PeerInfo.Builder info = PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(p.toBytes()));
      records.apply(p).ifPresent(r -> info.setSignedPeerRecord(ByteString.copyFrom(r)));
      b.addPeers(info);
    }
    return b.build();
  }

  /** Follows the PX of a PRUNE from {@code from}, when allowed. */
  void received(PeerId from, ControlPrune prune) {
    if (!cfg.doPx()
        || prune.getPeersCount() == 0
        || score.score(from) < cfg.score().acceptPxThreshold()) {
      return;
    }
    int taken = 0;
    for (PeerInfo info : prune.getPeersList()) {
      if (taken >= cfg.prunePeers()) {
        break;
      }
      PeerId px;
      try {
        px = PeerId.fromBytes(info.getPeerID().toByteArray());
      } catch (IllegalArgumentException e) {
        continue; // a malformed entry is skipped; the rest may still be useful
      }
      if (px.equals(self) || peers.contains(px)) {
        continue;
      }
      taken++;
      sink.connect(
          px, info.hasSignedPeerRecord() ? info.getSignedPeerRecord().toByteArray() : null);
    }
  }
}
