package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.internal.framing.VarintFramer;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of a {@link GossipSub}: one long-lived outbound RPC stream per peer (written through a
 * bounded {@link PeerWriter}) and at most one inbound stream per peer (a newer one replaces the
 * older, as go and js keep it). Inbound bytes are split into RPCs on the stream's reader thread and
 * handed to the router thread within a byte budget per stream, so a peer that sends faster than
 * the router handles loses RPCs instead of queueing them without bound.
 *
 * <p>Threading: {@link #openOutbound}, {@link #onInbound} and {@link #peerMaybeGone} run on the
 * router thread; {@link #send} may be called from any thread. Owns the writer and inbound maps.
 */
final class PeerStreams {
  private static final Logger LOG = LoggerFactory.getLogger(PeerStreams.class);

  /** Fixed cost charged per inbound RPC on top of its size, so empty RPCs are not free. */
  static final int RPC_OVERHEAD_BYTES = 64;

  /** What the streams need from the service: its router thread and its router. */
  interface Service {
    /** Runs {@code task} on the router thread; false when the service is closed. */
    boolean run(Runnable task);

    GossipRouter router();

    boolean closed();
  }

  private final Host host;
  private final GossipSubConfig cfg;
  private final Service service;
  private final Counters counters;
  private final Map<PeerId, PeerWriter> writers = new ConcurrentHashMap<>();
  private final Map<PeerId, Stream> inbound = new ConcurrentHashMap<>();

  PeerStreams(Host host, GossipSubConfig cfg, Service service, Counters counters) {
    this.host = host;
    this.cfg = cfg;
    this.service = service;
    this.counters = counters;
  }

  /** Queues {@code rpc} for {@code peer}; dropped and counted when there is no stream. */
  void send(PeerId peer, RPC rpc) {
    PeerWriter w = writers.get(peer);
    if (w == null) {
      counters.droppedOutboundRpcs.increment();
      return;
    }
    byte[] frame = RpcFraming.encode(rpc);
    if (w.enqueue(frame)) {
      counters.rpcsSent.increment();
      counters.bytesSent.add(frame.length);
    }
  }

  /** Whether an outbound stream to {@code peer} exists or is being opened. */
  boolean hasWriter(PeerId peer) {
    return writers.containsKey(peer);
  }

  /** Opens the outbound RPC stream to {@code peer} unless one exists. Router thread. */
  void openOutbound(PeerId peer) {
    if (service.closed() || peer.equals(host.peerId()) || writers.containsKey(peer)) {
      return;
    }
    PeerWriter w = new PeerWriter(cfg.outboundQueueSize(), counters.droppedOutboundRpcs);
    writers.put(peer, w);
    host.newStream(peer, GossipSub.PROTOCOLS)
        .whenComplete(
            (s, e) -> {
              boolean queued = service.run(() -> outboundOpened(peer, w, s, e));
              if (!queued && s != null) {
                s.close(); // opened after close(): nobody else will close it
              }
            });
  }

  private void outboundOpened(PeerId peer, PeerWriter w, Stream s, Throwable e) {
    if (e != null) {
      LOG.debug("no pubsub stream to {}: {}", peer, e.toString());
      if (writers.remove(peer, w)) {
        service.router().removePeer(peer);
      }
      return;
    }
    if (writers.get(peer) != w) {
      s.close();
      return;
    }
    service
        .router()
        .addPeer(peer, s.protocol(), s.connection().direction() == Direction.OUTBOUND);
    w.attach(s);
    s.closeFuture().whenComplete((v, x) -> service.run(() -> outboundGone(peer, w)));
  }

  private void outboundGone(PeerId peer, PeerWriter w) {
    if (writers.remove(peer, w)) {
      w.close();
      service.router().removePeer(peer);
    }
  }

  /** The last connection to {@code peer} closed, maybe: forget it if so. Router thread. */
  void peerMaybeGone(PeerId peer) {
    if (host.connections(peer).isEmpty()) {
      PeerWriter w = writers.remove(peer);
      if (w != null) {
        w.close();
      }
      service.router().removePeer(peer);
    }
  }

  /** Takes an inbound RPC stream. Router thread. */
  void onInbound(Stream s) {
    PeerId peer = s.connection().remotePeer();
    if (service.closed()) {
      s.reset();
      return;
    }
    Stream older = inbound.put(peer, s);
    if (older != null) {
      older.reset();
    }
    s.closeFuture().whenComplete((v, x) -> inbound.remove(peer, s));
    openOutbound(peer);
    if (writers.containsKey(peer)) {
      service
          .router()
          .addPeer(peer, s.protocol(), s.connection().direction() == Direction.OUTBOUND);
    }
    s.setReader(new Reader(peer));
  }

  /** Closes the outbound streams and resets the inbound ones. Router thread. */
  void closeAll() {
    writers.values().forEach(PeerWriter::close);
    writers.clear();
    inbound.values().forEach(Stream::reset);
    inbound.clear();
  }

  /** Splits one inbound stream into RPCs and hands them to the router within the budget. */
  private final class Reader implements StreamReader {
    private final PeerId peer;
    private final VarintFramer decoder = RpcFraming.decoder(cfg.maxRpcSize());
    // bytes handed to the router thread and not yet handled: the reader never waits for the
    // router, so without this budget a fast peer could queue RPCs without bound
    private final AtomicLong waiting = new AtomicLong();

    Reader(PeerId peer) {
      this.peer = peer;
    }

    @Override
    public void onData(Stream stream, byte[] chunk) {
      List<byte[]> frames;
      try {
        frames = decoder.feed(chunk);
      } catch (RuntimeException e) {
        counters.rejectedRpcs.increment();
        LOG.debug("resetting pubsub stream from {}: {}", peer, e.getMessage());
        service.run(() -> service.router().penalize(peer, 1));
        stream.reset();
        return;
      }
      for (byte[] f : frames) {
        RPC rpc;
        try {
          rpc = RPC.parseFrom(f);
        } catch (InvalidProtocolBufferException e) {
          counters.rejectedRpcs.increment();
          service.run(() -> service.router().penalize(peer, 1));
          continue;
        }
        long size = f.length + RPC_OVERHEAD_BYTES;
        if (waiting.get() > 0 && waiting.get() + size > cfg.inboundQueueBytes()) {
          counters.droppedInboundRpcs.increment();
          continue;
        }
        counters.rpcsReceived.increment();
        counters.bytesReceived.add(f.length);
        waiting.addAndGet(size);
        boolean queued =
            service.run(
                () -> {
                  try {
                    service.router().handleRpc(peer, rpc);
                  } finally {
                    waiting.addAndGet(-size);
                  }
                });
        if (!queued) {
          stream.reset();
          return;
        }
      }
    }
  }
}
