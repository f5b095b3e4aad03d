package org.lotusia.libp2p.upnp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP exchanges with a gateway on {@code java.net.http}, each bounded: the body is collected up to
 * a byte limit (the exchange is cancelled, closing the connection, as soon as more arrives), and
 * the whole exchange, connect to last byte, has a deadline (a gateway that stalls or sends a byte
 * at a time is cut off). Blocking; called from the UPnP service thread only.
 */
final class BoundedHttp {

  private final HttpClient client;
  private final Duration timeout;

  BoundedHttp(Duration timeout) {
    this.timeout = timeout;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** A response: status and body. */
  record Response(int status, byte[] body) {}

  /**
   * Sends {@code request} and reads at most {@code maxBody} bytes of the answer.
   *
   * @throws IOException when the exchange fails, the body is larger, or the deadline passes; the
   *     message says which
   */
  Response exchange(HttpRequest request, int maxBody) throws IOException {
    Collector body = new Collector(maxBody);
    CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(request, info -> body);
    try {
      HttpResponse<byte[]> r = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new Response(r.statusCode(), r.body());
    } catch (TimeoutException e) {
      body.cancel();
      f.cancel(true);
      throw new IOException(
          request.method() + " " + request.uri() + ": no complete answer within " + timeout);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io
          ? new IOException(request.method() + " " + request.uri() + ": " + io.getMessage(), io)
          : new IOException(request.method() + " " + request.uri() + ": " + c, c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      body.cancel();
      f.cancel(true);
      throw new IOException("interrupted", e);
    }
  }

  /** Collects a body up to a limit; cancels the subscription beyond it. */
  private static final class Collector implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    Collector(int max) {
      this.max = max;
    }

    void cancel() {
      cancelled = true;
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (cancelled) {
        s.cancel();
        return;
      }
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        if (out.size() + b.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(
              new IOException("answer larger than " + max + " bytes; refused"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.writeBytes(chunk);
      }
      subscription.request(1); // one buffer list at a time: never more than max plus one in memory
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }
  }
}
