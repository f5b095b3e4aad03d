package org.lotusia.libp2p.protocol.autonat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.stack.Transports;

/** Loopback TCP hosts for AutoNAT and DCUtR tests; closes everything it started. */
public final class NatTestNet implements AutoCloseable {

  private final List<Host> hosts = new ArrayList<>();
  private final List<AutoCloseable> services = new ArrayList<>();

  /** A started host on 127.0.0.1 with an ephemeral port. */
  public Host host() {
    return host(b -> b);
  }

  /** A started host on 127.0.0.1, customised. */
  public Host host(UnaryOperator<HostBuilder> custom) {
    HostBuilder b =
        new HostBuilder()
            .transports(Transports.tcp())
            .listen("/ip4/127.0.0.1/tcp/0")
            .eventLoopThreads(1)
            .dialTimeout(Duration.ofSeconds(5));
    Host h = custom.apply(b).build();
    hosts.add(h);
    join(h.start());
    return h;
  }

  /** Closes {@code service} with the net. */
  public <T extends AutoCloseable> T own(T service) {
    services.add(service);
    return service;
  }

  /** Waits up to 30 s; unwraps the cause. */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The failure of {@code f}, unwrapped; fails when it succeeds. */
  public static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable t = e.getCause();
      while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      return t;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("expected a failure");
  }

  /** Closes the owned services, then the hosts; a service failing to close fails the test. */
  @Override
  public void close() {
    for (AutoCloseable s : services) {
      try {
        s.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        throw new IllegalStateException("closing " + s.getClass().getSimpleName() + " failed", e);
      }
    }
    for (Host h : hosts) {
      join(h.closeAsync());
    }
  }
}
