package org.lotusia.libp2p.internal.host;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.lotusia.libp2p.HandlerOptions;
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

  /** Protocols that may run on limited (relayed) connections. */
  private final Set<String> limitedOk = ConcurrentHashMap.newKeySet();
  private final CallbackExecutor callbacks;
  private final Runnable onChange;

  /**
   * @param callbacks where handlers run
   * @param onChange runs after a protocol was added or removed
   */
  HandlerRegistry(CallbackExecutor callbacks, Runnable onChange) {
    this.callbacks = callbacks;
    this.onChange = onChange;
  }

  /** Whether {@code protocol} has a handler; the multistream-select responder asks this. */
  boolean serves(String protocol) {
    return handlers.containsKey(protocol);
  }

  /** Whether {@code protocol} may run on limited connections (see {@link HandlerOptions}). */
  boolean runsLimited(String protocol) {
    return limitedOk.contains(protocol);
  }

  /** See {@link org.lotusia.libp2p.Host#setStreamHandler(String, StreamHandler)}. */
  void set(String protocol, StreamHandler handler) {
    set(protocol, handler, HandlerOptions.DEFAULT);
  }

  /** See {@link org.lotusia.libp2p.Host#setStreamHandler(String, StreamHandler, HandlerOptions)}. */
  void set(String protocol, StreamHandler handler, HandlerOptions options) {
    ProtocolIds.check(protocol);
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    if (options.runOnLimitedConnection()) {
      limitedOk.add(protocol);
    } else {
      limitedOk.remove(protocol);
    }
    if (handlers.put(protocol, handler) == null) {
      onChange.run();
    }
  }

  /**
   * Serves every ID of {@code binding} with its responder, on limited connections too when the
   * binding says so; a failed responder resets.
   */
  void add(ProtocolBinding<?> binding) {
    HandlerOptions options =
        binding.runOnLimitedConnection() ? HandlerOptions.LIMITED_OK : HandlerOptions.DEFAULT;
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
          },
          options);
    }
  }

  /** See {@link org.lotusia.libp2p.Host#removeStreamHandler}. */
  void remove(String protocol) {
    limitedOk.remove(protocol);
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
   *
   * @return false when the executor cannot take new work now; the stream was not handed out and the
   *     caller must refuse it
   */
  boolean dispatch(StreamImpl stream) {
    return callbacks.tryExecute(
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
