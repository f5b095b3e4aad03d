package org.lotusia.libp2p.protocol.pubsub;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.lotusia.libp2p.Connection;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.MultiaddrProtocol;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.internal.proto.PubsubProtos.RPC;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of a {@link GossipSub}: one long-lived outbound RPC stream per peer (written through
 * a bounded {@link PeerWriter}) and at most one inbound stream per peer (a newer one replaces the
 * older, as go and js keep it). Inbound bytes are split into RPCs on the stream's reader thread and
 * handed to the router thread within an {@link InboundBudget} (per stream and for all peers
 * together), so peers that send faster than the router handles lose RPCs instead of queueing them
 * without bound. Outbound RPCs larger than the RPC size limit are split ({@link RpcFragmenter}).
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
  // peers whose outbound stream died while connected; router thread only, bounded by the peers
  private final java.util.Set<PeerId> retry = new java.util.HashSet<>();
  private final InboundBudget budget;

  PeerStreams(Host host, GossipSubConfig cfg, Service service, Counters counters) {
    this.host = host;
    this.cfg = cfg;
    this.service = service;
    this.counters = counters;
    this.budget = new InboundBudget(cfg.inboundQueueBytes(), cfg.globalInboundQueueBytes());
  }

  /** Bytes of received RPCs waiting for the router or for validation, across all peers. */
  long inboundWaiting() {
    return budget.waiting();
  }

  /** Queues {@code rpc} for {@code peer}; dropped and counted when there is no stream. */
  void send(PeerId peer, RPC rpc) {
    PeerWriter w = writers.get(peer);
    if (w == null) {
      counters.droppedOutboundRpcs.increment();
      return;
    }
    for (RPC part : RpcFragmenter.split(rpc, cfg.maxRpcSize())) {
      byte[] frame = RpcFraming.encode(part);
      if (w.enqueue(frame)) {
        counters.rpcsSent.increment();
        counters.bytesSent.add(frame.length);
      }
    }
  }

  /** Whether an outbound stream to {@code peer} exists or is being opened. */
  boolean hasWriter(PeerId peer) {
    return writers.containsKey(peer);
  }

  /**
   * Opens the outbound RPC stream to {@code peer} unless one exists. Router thread.
   *
   * @return completes when the attempt ended, either way; at once when there was nothing to do
   */
  CompletableFuture<Void> openOutbound(PeerId peer) {
    if (service.closed() || peer.equals(host.peerId()) || writers.containsKey(peer)) {
      return CompletableFuture.completedFuture(null);
    }
    PeerWriter w = new PeerWriter(cfg.outboundQueueSize(), counters.droppedOutboundRpcs);
    writers.put(peer, w);
    return host.newStream(peer, GossipSub.PROTOCOLS)
        .handle(
            (s, e) -> {
              boolean queued = service.run(() -> outboundOpened(peer, w, s, e));
              if (!queued && s != null) {
                s.close(); // opened after close(): nobody else will close it
              }
              return null;
            });
  }

  /** The IP address text of the connection's remote end, or null (relayed, in-memory, ...). */
  static String ipOf(Connection c) {
    return c.remoteAddress()
        .valueOf(MultiaddrProtocol.IP4)
        .or(() -> c.remoteAddress().valueOf(MultiaddrProtocol.IP6))
        .orElse(null);
  }

  private void addPeer(PeerId peer, Stream s) {
    Connection c = s.connection();
    service.router().addPeer(peer, s.protocol(), c.direction() == Direction.OUTBOUND, ipOf(c));
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
    addPeer(peer, s);
    w.attach(s);
    s.closeFuture().whenComplete((v, x) -> service.run(() -> outboundGone(peer, w)));
  }

  private void outboundGone(PeerId peer, PeerWriter w) {
    if (writers.remove(peer, w)) {
      w.close();
      service.router().removePeer(peer);
      // the stream died but a connection may remain (several connections, or a reset): try again
      // at the next heartbeat rather than at once, so a peer that keeps resetting costs one
      // attempt per heartbeat
      if (!host.connections(peer).isEmpty()) {
        retry.add(peer);
      }
    }
  }

  /** Reopens the streams that died while their peer stayed connected. Router thread. */
  void retryLost() {
    if (retry.isEmpty()) {
      return;
    }
    List<PeerId> peers = List.copyOf(retry);
    retry.clear();
    for (PeerId p : peers) {
      if (!host.connections(p).isEmpty()) {
        openOutbound(p);
      }
    }
  }

  /** The last connection to {@code peer} closed, maybe: forget it if so. Router thread. */
  void peerMaybeGone(PeerId peer) {
    if (host.connections(peer).isEmpty()) {
      retry.remove(peer);
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
      addPeer(peer, s);
    }
    s.setReader(new Reader(peer));
  }

  /** Closes the outbound streams and resets the inbound ones. Router thread. */
  void closeAll() {
    retry.clear();
    writers.values().forEach(PeerWriter::close);
    writers.clear();
    inbound.values().forEach(Stream::reset);
    inbound.clear();
  }

  /** Splits one inbound stream into RPCs and hands them to the router within the budget. */
  private final class Reader implements StreamReader {
    private final PeerId peer;
    private final RpcFraming.Decoder decoder = new RpcFraming.Decoder(cfg.maxRpcSize());
    // bytes of this stream handed to the router thread and not yet handled
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
        InboundBudget.Ticket ticket = budget.tryAcquire(waiting, f.length + RPC_OVERHEAD_BYTES);
        if (ticket == null) {
          counters.droppedInboundRpcs.increment();
          continue;
        }
        counters.rpcsReceived.increment();
        counters.bytesReceived.add(f.length);
        boolean queued = service.run(() -> service.router().handleRpc(peer, rpc, ticket));
        if (!queued) {
          ticket.release();
          stream.reset();
          return;
        }
      }
    }
  }
}
