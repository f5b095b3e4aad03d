package org.lotusia.libp2p.internal.host;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.lotusia.libp2p.ProtocolBinding;
import org.lotusia.libp2p.StreamHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocols a host serves and the hand-over of negotiated inbound streams to their handlers.
 *
 * <p>Thread-safe: handlers live in a concurrent map; registration may happen from any thread, and
 * {@link #dispatch} is called on a stream's event loop and runs the handler on the callback
 * executor. A change of the served set runs {@code onChange} (identify push) on the caller's
 * thread.
 */
final class HandlerRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

  private final Map<String, StreamHandler> handlers = new ConcurrentHashMap<>();
  private final Executor callbacks;
  private final Runnable onChange;

  /**
   * @param callbacks where handlers run
   * @param onChange runs after a protocol was added or removed
   */
  HandlerRegistry(Executor callbacks, Runnable onChange) {
    this.callbacks = callbacks;
    this.onChange = onChange;
  }

  /** Whether {@code protocol} has a handler; the multistream-select responder asks this. */
  boolean serves(String protocol) {
    return handlers.containsKey(protocol);
  }

  /** See {@link org.lotusia.libp2p.Host#setStreamHandler}. */
  void set(String protocol, StreamHandler handler) {
    ProtocolIds.check(protocol);
    Objects.requireNonNull(handler, "handler");
    if (handlers.put(protocol, handler) == null) {
      onChange.run();
    }
  }

  /** Serves every ID of {@code binding} with its responder; a failed responder resets. */
  void add(ProtocolBinding<?> binding) {
    for (String id : binding.protocolIds()) {
      set(
          id,
          stream -> {
            CompletableFuture<?> f;
            try {
              f = binding.respond(stream);
            } catch (RuntimeException e) {
              f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete(
                (c, e) -> {
                  if (e != null) {
                    LOG.debug("responder of {} failed: {}", id, e.toString());
                    stream.reset();
                  }
                });
          });
    }
  }

  /** See {@link org.lotusia.libp2p.Host#removeStreamHandler}. */
  void remove(String protocol) {
    if (handlers.remove(protocol) != null) {
      onChange.run();
    }
  }

  /** The served protocol IDs, sorted. */
  List<String> protocols() {
    return handlers.keySet().stream().sorted().toList();
  }

  /**
   * Runs the handler of the negotiated inbound {@code stream} on the callback executor; a stream
   * whose handler went away meanwhile, or whose handler throws, is reset.
   */
  void dispatch(StreamImpl stream) {
    callbacks.execute(
        () -> {
          StreamHandler handler = handlers.get(stream.protocol());
          if (handler == null) {
            stream.reset();
            return;
          }
          try {
            handler.handle(stream);
          } catch (RuntimeException e) {
            LOG.warn("stream handler for {} threw; resetting the stream", stream.protocol(), e);
            stream.reset();
          }
        });
  }
}
