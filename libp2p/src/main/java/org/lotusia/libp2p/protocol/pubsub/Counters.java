package org.lotusia.libp2p.protocol.pubsub;

import java.util.concurrent.atomic.LongAdder;

/**
 * The service's counters, written from the router, the stream readers and writers and the callback
 * lanes, read by {@link GossipSub#stats()}. Thread-safe; cheap to increment.
 */
final class Counters {
  final LongAdder published = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder duplicates = new LongAdder();
  final LongAdder invalid = new LongAdder();
  final LongAdder ignored = new LongAdder();
  final LongAdder validationDropped = new LongAdder();
  final LongAdder rejectedRpcs = new LongAdder();
  final LongAdder graylistedRpcs = new LongAdder();
  final LongAdder rpcsReceived = new LongAdder();
  final LongAdder bytesReceived = new LongAdder();
  final LongAdder droppedInboundRpcs = new LongAdder();
  final LongAdder rpcsSent = new LongAdder();
  final LongAdder bytesSent = new LongAdder();
  final LongAdder droppedOutboundRpcs = new LongAdder();
  final LongAdder droppedDeliveries = new LongAdder();
  final LongAdder droppedEvents = new LongAdder();
  final LongAdder callbackRefusals = new LongAdder();
  final LongAdder pxSkipped = new LongAdder();

  GossipSubStats snapshot() {
    return new GossipSubStats(
        published.sum(),
        delivered.sum(),
        duplicates.sum(),
        invalid.sum(),
        ignored.sum(),
        validationDropped.sum(),
        rejectedRpcs.sum(),
        graylistedRpcs.sum(),
        rpcsReceived.sum(),
        bytesReceived.sum(),
        droppedInboundRpcs.sum(),
        rpcsSent.sum(),
        bytesSent.sum(),
        droppedOutboundRpcs.sum(),
        droppedDeliveries.sum(),
        droppedEvents.sum(),
        callbackRefusals.sum(),
        pxSkipped.sum());
  }
}
