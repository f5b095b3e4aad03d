package org.lotusia.libp2p.protocol.relay;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.lotusia.libp2p.HandlerOptions;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Stream;
import org.lotusia.libp2p.StreamReader;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.stack.Transports;

/** Starts in-memory (or TCP) hosts for the relay tests, with echo protocols, and stops them. */
final class RelayNet implements AutoCloseable {

  /** Echo, allowed on limited connections. */
  static final String ECHO_LIMITED = "/test/echo-limited/1.0.0";

  /** Echo, not allowed on limited connections (the default for application protocols). */
  static final String ECHO = "/test/echo/1.0.0";

  private final List<Host> hosts = new ArrayList<>();
  private final List<AutoCloseable> services = new ArrayList<>();
  private final boolean tcp;

  RelayNet() {
    this(false);
  }

  RelayNet(boolean tcp) {
    this.tcp = tcp;
  }

  Host host() {
    return host(b -> b);
  }

  Host host(UnaryOperator<HostBuilder> custom) {
    return hostAt("/ip4/127.0.0.1/tcp/0", custom);
  }

  /** A host listening at {@code listen} only. */
  Host hostAt(String listen, UnaryOperator<HostBuilder> custom) {
    HostBuilder b =
        new HostBuilder()
            .eventLoopThreads(1)
            .dialTimeout(Duration.ofSeconds(20))
            .transports(tcp ? Transports.tcp() : Transports.memory())
            .listen(listen);
    Host h = custom.apply(b).build();
    h.addProtocol(new Ping());
    h.setStreamHandler(ECHO_LIMITED, RelayNet::echo, HandlerOptions.LIMITED_OK);
    h.setStreamHandler(ECHO, RelayNet::echo);
    hosts.add(h);
    join(h.start());
    return h;
  }

  RelayService relay(Host h, RelayServiceConfig config, Clock clock) {
    RelayService r = new RelayService(h, config, clock);
    services.add(r);
    return r;
  }

  CircuitRelay client(Host h, Clock clock) {
    return client(h, CircuitRelayConfig.DEFAULT, clock);
  }

  CircuitRelay client(Host h, CircuitRelayConfig config, Clock clock) {
    CircuitRelay c = new CircuitRelay(h, config, clock);
    services.add(c);
    return c;
  }

  <T extends AutoCloseable> T track(T service) {
    services.add(service);
    return service;
  }

  static void echo(Stream s) {
    s.setReader(
        new StreamReader() {
          @Override
          public void onData(Stream stream, byte[] chunk) {
            stream.write(chunk);
          }

          @Override
          public void onEnd(Stream stream) {
            stream.closeWrite();
          }
        });
  }

  static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cause of a failed future, unwrapped. */
  static Throwable failure(CompletableFuture<?> f) {
    try {
      f.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable t = e.getCause();
      while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
        t = t.getCause();
      }
      return t;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    throw new AssertionError("the future succeeded");
  }

  @Override
  public void close() {
    for (AutoCloseable s : services) {
      try {
        s.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    for (Host h : hosts) {
      join(h.closeAsync());
    }
  }
}
