package org.lotusia.libp2p.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.protocol.perf.Perf;
import org.lotusia.libp2p.protocol.ping.Ping;
import org.lotusia.libp2p.stack.SecureChannels;
import org.lotusia.libp2p.stack.Transports;

/** Starts test hosts and stops them all at the end. */
final class Hosts implements AutoCloseable {

  /** The stacks under test. */
  enum Stack {
    MEMORY_PLAINTEXT,
    MEMORY_NOISE,
    TCP_NOISE
  }

  private final List<Host> hosts = new ArrayList<>();

  Host start(Stack stack) {
    return start(stack, b -> b);
  }

  Host start(Stack stack, UnaryOperator<HostBuilder> custom) {
    HostBuilder b = new HostBuilder().eventLoopThreads(1).dialTimeout(Duration.ofSeconds(10));
    switch (stack) {
      case MEMORY_PLAINTEXT ->
          b.transports(Transports.memory())
              .security(SecureChannels.plaintext())
              .listen("/ip4/127.0.0.1/tcp/0");
      case MEMORY_NOISE -> b.transports(Transports.memory()).listen("/ip4/127.0.0.1/tcp/0");
      case TCP_NOISE -> b.transports(Transports.tcp()).listen("/ip4/127.0.0.1/tcp/0");
      default -> throw new IllegalArgumentException();
    }
    Host h = custom.apply(b).build();
    h.addProtocol(new Ping());
    h.addProtocol(new Perf());
    hosts.add(h);
    join(h.start());
    return h;
  }

  static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
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

  @Override
  public void close() {
    for (Host h : hosts) {
      join(h.closeAsync());
    }
  }
}
