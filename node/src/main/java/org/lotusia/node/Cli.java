package org.lotusia.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostBuilder;
import org.lotusia.libp2p.Multiaddr;
import org.lotusia.libp2p.Transport;
import org.lotusia.libp2p.protocol.perf.Perf;
import org.lotusia.libp2p.protocol.ping.Ping;

/** Helpers shared by the commands. */
final class Cli {

  private Cli() {}

  /**
   * Parses a multiaddr given on the command line.
   *
   * @throws IllegalArgumentException naming the bad address
   */
  static Multiaddr parseAddress(String text) {
    try {
      return Multiaddr.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid multiaddr '" + text + "': " + e.getMessage(), e);
    }
  }

  /**
   * Parses {@code [HOST:]PORT} ({@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code 8080}); the host
   * defaults to 127.0.0.1.
   *
   * @throws IllegalArgumentException naming the bad value and the accepted forms
   */
  static java.net.InetSocketAddress parseHostPort(String text) {
    String host = "127.0.0.1";
    String port = text;
    int colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (host.isEmpty()) {
        host = "127.0.0.1";
      }
    }
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      p = -1;
    }
    if (p < 0 || p > 65535 || host.contains(" ")) {
      throw new IllegalArgumentException(
          "invalid address '" + text + "': expected [HOST:]PORT, for example 127.0.0.1:8080 or 8080");
    }
    return java.net.InetSocketAddress.createUnresolved(host, p);
  }

  /** A client host without listen addresses that serves ping and perf. */
  static Host startClient() {
    Host host =
        new HostBuilder()
            .transports(Transport.tcp(), Transport.websocket())
            .eventLoopThreads(1)
            .build();
    host.addProtocol(new Ping());
    host.addProtocol(new Perf());
    await(host.start(), 30);
    return host;
  }

  /** Waits for {@code future}, unwrapping its failure. */
  static <T> T await(CompletableFuture<T> future, long seconds) {
    try {
      return future.get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException | CompletionException e) {
      throw rethrow(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + seconds + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static RuntimeException rethrow(Throwable t) {
    Throwable root = rootCause(t);
    return root instanceof RuntimeException r ? r : new IllegalStateException(oneLine(root), root);
  }

  /** The innermost cause, skipping wrappers that only wrap. */
  static Throwable rootCause(Throwable t) {
    Throwable cur = t;
    while ((cur instanceof CompletionException
            || cur instanceof ExecutionException
            || cur instanceof picocli.CommandLine.ExecutionException)
        && cur.getCause() != null) {
      cur = cur.getCause();
    }
    return cur;
  }

  /** A one-line description of {@code t}. */
  static String oneLine(Throwable t) {
    String msg = t.getMessage();
    String text =
        msg == null || msg.isBlank()
            ? t.getClass().getSimpleName()
            : (t instanceof IllegalArgumentException || t instanceof IllegalStateException
                ? msg
                : t.getClass().getSimpleName() + ": " + msg);
    return text.replace('\n', ' ').replace('\r', ' ');
  }
}
