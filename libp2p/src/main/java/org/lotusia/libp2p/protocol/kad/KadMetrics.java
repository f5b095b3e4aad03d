package org.lotusia.libp2p.protocol.kad;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters and size snapshots behind {@link KadStats}. Counters are {@link LongAdder}s, so any
 * thread may bump them; the sizes are published by the DHT's thread after each change, so {@link
 * #snapshot} never touches the executor-confined stores and never blocks.
 */
final class KadMetrics {
  final LongAdder queriesStarted = new LongAdder();
  final LongAdder queriesSucceeded = new LongAdder();
  final LongAdder queriesFailed = new LongAdder();
  final LongAdder requestsServed = new LongAdder();
  final LongAdder requestsFailed = new LongAdder();
  final LongAdder validatorRejected = new LongAdder();
  final LongAdder selectorKeptExisting = new LongAdder();
  final LongAdder inboundFilterRefused = new LongAdder();
  final LongAdder recordLimitRefused = new LongAdder();
  final LongAdder providerLimitRefused = new LongAdder();
  final LongAdder protocolViolations = new LongAdder();
  final LongAdder correctionsSent = new LongAdder();
  final LongAdder republished = new LongAdder();
  final LongAdder listenerEventsDropped = new LongAdder();

  private volatile int tableSize;
  private volatile List<Integer> bucketSizes = List.of(0);
  private volatile int storedRecords;
  private volatile int providerKeys;

  /** Publishes the routing table's sizes; DHT thread only. */
  void tableChanged(RoutingTable table) {
    List<Integer> sizes = table.bucketSizes();
    bucketSizes = sizes;
    tableSize = sizes.stream().mapToInt(Integer::intValue).sum();
  }

  /** Publishes the stores' sizes; DHT thread only. */
  void storesChanged(RecordStore records, ProviderStore providers) {
    storedRecords = records.size();
    providerKeys = providers.keyCount();
  }

  int tableSize() {
    return tableSize;
  }

  KadStats snapshot(boolean server) {
    return new KadStats(
        server ? KadStats.Mode.SERVER : KadStats.Mode.CLIENT,
        tableSize,
        bucketSizes,
        storedRecords,
        providerKeys,
        queriesStarted.sum(),
        queriesSucceeded.sum(),
        queriesFailed.sum(),
        requestsServed.sum(),
        requestsFailed.sum(),
        validatorRejected.sum(),
        selectorKeptExisting.sum(),
        inboundFilterRefused.sum(),
        recordLimitRefused.sum(),
        providerLimitRefused.sum(),
        protocolViolations.sum(),
        correctionsSent.sum(),
        republished.sum(),
        listenerEventsDropped.sum());
  }
}
