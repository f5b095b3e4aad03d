package org.lotusia.libp2p.internal.host;

import java.time.Clock;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands negotiated inbound streams to their handlers, or refuses them visibly: reset, counted and
 * logged. A stream is refused while a host listener is far behind (see {@link
 * HostEvents#backlogged()}; counted by the {@link ResourceManager}) or when the callback executor
 * cannot take new work (counted here, logged at most once per 10 s).
 *
 * <p>Thread-safe; called on the streams' event loops.
 */
final class InboundDispatch {

  private static final Logger LOG = LoggerFactory.getLogger(InboundDispatch.class);

  private final HandlerRegistry handlers;
  private final HostEvents events;
  private final ResourceManager resources;
  private final LongAdder refused = new LongAdder();
  private final RateLimitedLog refusedLog;

  InboundDispatch(
      HandlerRegistry handlers, HostEvents events, ResourceManager resources, Clock clock) {
    this.handlers = handlers;
    this.events = events;
    this.resources = resources;
    this.refusedLog = new RateLimitedLog(LOG, clock, RateLimitedLog.INTERVAL);
  }

  /** Inbound streams reset because the callback executor could not take them. */
  LongAdder refusedByExecutor() {
    return refused;
  }

  /** Hands {@code stream} to its handler on the callback executor, or refuses it. */
  void dispatch(StreamImpl stream) {
    if (events.backlogged()) {
      // A listener that far behind must not be fed more by the network.
      resources.refusedForBacklog(stream);
      stream.reset();
      return;
    }
    if (handlers.dispatch(stream)) {
      events.streamOpened(stream);
      return;
    }
    refused.increment();
    refusedLog.warn(
        "callback executor is full: refused (reset) an inbound {} stream from {}",
        stream.protocol(),
        stream.connection().remotePeer());
    stream.reset();
  }
}
