package org.lotusia.libp2p.protocol.pubsub;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.record.PeerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to peers learnt through PX. A signed peer record that came with one is verified off the
 * router thread (signature, and that it is about that peer) and its addresses go to the peer store
 * for {@link #ADDRESS_TTL}; a peer without a record is dialled only when the peer store already
 * knows an address. At most {@code max} connections are under way; further peers are skipped and
 * counted. Thread-safe.
 */
final class PxConnector {
  private static final Logger LOG = LoggerFactory.getLogger(PxConnector.class);

  /** How long addresses from a PX record stay in the peer store. */
  static final Duration ADDRESS_TTL = Duration.ofMinutes(10);

  private final Host host;
  private final int max;
  private final Callbacks offThread;
  private final PeerStreams.Service service;
  private final Function<PeerId, CompletableFuture<Void>> open;
  private final LongAdder skipped;
  private final AtomicInteger pending = new AtomicInteger();

  PxConnector(
      Host host,
      int max,
      Callbacks offThread,
      PeerStreams.Service service,
      Function<PeerId, CompletableFuture<Void>> open,
      LongAdder skipped) {
    this.host = host;
    this.max = max;
    this.offThread = offThread;
    this.service = service;
    this.open = open;
    this.skipped = skipped;
  }

  /** Connects to {@code peer}, using {@code record} (a signed envelope, or null) for addresses. */
  void connect(PeerId peer, byte[] record) {
    if (pending.incrementAndGet() > max) {
      pending.decrementAndGet();
      skipped.increment();
      return;
    }
    boolean submitted =
        offThread.submit(
            () -> {
              try {
                if (record != null) {
                  PeerRecord r = PeerRecord.open(record);
                  if (!r.peerId().equals(peer)) {
                    throw new IllegalArgumentException(
                        "record of " + r.peerId() + " offered for " + peer);
                  }
                  host.peerStore().addAddresses(peer, r.addresses(), ADDRESS_TTL);
                } else if (host.peerStore().addresses(peer).isEmpty()) {
                  done();
                  return;
                }
                if (!service.run(() -> open.apply(peer).whenComplete((v, e) -> done()))) {
                  done();
                }
              } catch (RuntimeException e) {
                LOG.debug("PX entry for {} not used: {}", peer, e.getMessage());
                done();
              }
            });
    if (!submitted) {
      done();
    }
  }

  private void done() {
    pending.decrementAndGet();
  }

  int pending() {
    return pending.get();
  }
}
