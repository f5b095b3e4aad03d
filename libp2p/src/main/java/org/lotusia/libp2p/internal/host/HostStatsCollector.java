package org.lotusia.libp2p.internal.host;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.lotusia.libp2p.Direction;
import org.lotusia.libp2p.HostStats;
import org.lotusia.libp2p.HostStats.ProtocolStats;
import org.lotusia.libp2p.Stream;

/**
 * Builds {@link HostStats} snapshots from the pieces that own the numbers: connection and stream
 * counts from the registry (walked at call time), bytes from the {@link ProtocolMeters}, refusals
 * from the gating, the trimmer and the inbound dispatch, and the callback executor's state.
 *
 * <p>Thread-safe; each call costs one walk over the open connections and streams.
 */
final class HostStatsCollector {

  private final ConnectionRegistry connections;
  private final ProtocolMeters meters;
  private final HostGating gating;
  private final ConnectionTrimmer trimmer;
  private final CallbackExecutor callbacks;
  private final LongAdder refusedStreams;
  private final ResourceManager resources;

  HostStatsCollector(
      ConnectionRegistry connections,
      ProtocolMeters meters,
      HostGating gating,
      ConnectionTrimmer trimmer,
      CallbackExecutor callbacks,
      LongAdder refusedStreams,
      ResourceManager resources) {
    this.connections = connections;
    this.meters = meters;
    this.gating = gating;
    this.trimmer = trimmer;
    this.callbacks = callbacks;
    this.refusedStreams = refusedStreams;
    this.resources = resources;
  }

  HostStats collect() {
    int inbound = 0;
    int outbound = 0;
    Map<String, Integer> open = new HashMap<>();
    for (ConnectionImpl c : connections.all()) {
      if (c.direction() == Direction.INBOUND) {
        inbound++;
      } else {
        outbound++;
      }
      for (Stream s : c.streams()) {
        open.merge(s.protocol(), 1, Integer::sum);
      }
    }
    Map<String, ProtocolStats> protocols = new HashMap<>();
    meters.forEach(
        (protocol, bytes) ->
            protocols.put(
                protocol, new ProtocolStats(open.getOrDefault(protocol, 0), bytes[0], bytes[1])));
    for (Map.Entry<String, Integer> e : open.entrySet()) {
      // a stream counted under the shared remainder keeps its own open count
      protocols.putIfAbsent(e.getKey(), new ProtocolStats(e.getValue(), 0, 0));
    }
    return new HostStats(
        inbound,
        outbound,
        protocols,
        refusedStreams.sum(),
        gating.deniedDials(),
        gating.deniedInbound(),
        gating.deniedSecured(),
        trimmer.trimmed(),
        callbacks.rejections(),
        callbacks.parked(),
        resources.refusals());
  }
}
