package org.lotusia.chain.chronik;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protobuf-over-HTTP transport with failover, retries and bounded bodies.
 *
 * <p>Failover: an I/O error (connection refused or reset, DNS failure, timeout) moves the request
 * to the next base URL, round-robin from the last URL that answered 200. When every URL of a round
 * failed, the next round starts after a backoff, up to {@code maxRetries} rounds. A Chronik error
 * reply (non-200 with an {@code Error} body) is final and does not fail over; a 5xx reply is
 * retried on the same URL after a backoff, up to {@code maxRetries} times. Every response body is
 * closed.
 *
 * <p>Threading: all work runs on OkHttp's dispatcher threads and the scheduler; no caller thread is
 * blocked. Thread-safe.
 */
final class ChronikHttp {

  private static final Logger LOG = LoggerFactory.getLogger(ChronikHttp.class);
  private static final MediaType PROTOBUF = MediaType.get("application/x-protobuf");
  private static final int MAX_SUPPRESSED = 8;

  /** A 200 reply's body and the index of the base URL that served it. */
  record Reply(byte[] body, int endpoint) {}

  private final ChronikClientConfig config;
  private final OkHttpClient client;
  private final ScheduledExecutorService scheduler;
  private final Set<Attempt> inFlight = ConcurrentHashMap.newKeySet();
  private volatile int workingIndex;
  private volatile boolean closed;

  ChronikHttp(ChronikClientConfig config, OkHttpClient client, ScheduledExecutorService scheduler) {
    this.config = config;
    this.client = client;
    this.scheduler = scheduler;
  }

  int workingIndex() {
    return workingIndex;
  }

  CompletableFuture<Reply> get(String path, int pinned) {
    return start(path, null, pinned);
  }

  CompletableFuture<Reply> post(String path, byte[] body, int pinned) {
    return start(path, body, pinned);
  }

  /** Fails every pending request; later requests fail at once. */
  void close() {
    closed = true;
    for (Attempt a : inFlight) {
      a.fail(new ChronikUnavailableException("Chronik client closed", null));
    }
  }

  private CompletableFuture<Reply> start(String path, byte[] body, int pinned) {
    Attempt a = new Attempt(path, body, pinned);
    if (closed) {
      a.fail(new ChronikUnavailableException("Chronik client closed", null));
      return a.result;
    }
    synchronized (inFlight) {
      if (inFlight.size() >= config.maxPendingRequests()) {
        a.fail(
            new RejectedExecutionException(
                "more than "
                    + config.maxPendingRequests()
                    + " Chronik requests pending; rejected "
                    + path));
        return a.result;
      }
      inFlight.add(a);
    }
    a.result.whenComplete(
        (r, t) -> {
          a.release(); // when cancelled by the caller
          Call c = a.current;
          if (c != null && t != null) {
            // closed, cancelled or failed: stop any call still running (no-op if it finished)
            c.cancel();
          }
        });
    a.run();
    return a.result;
  }

  private Duration backoff(int retry) {
    long base = config.initialBackoff().toMillis();
    long ms = base << Math.min(20, Math.max(0, retry - 1));
    return Duration.ofMillis(Math.min(ms, config.maxBackoff().toMillis()));
  }

  /**
   * One logical request through failover and retries; its fields are touched by one thread at a
   * time.
   */
  private final class Attempt implements Callback {
    final String path;
    final byte[] body;
    final boolean pinned;
    final int endpoints;
    final CompletableFuture<Reply> result = new CompletableFuture<>();
    volatile Call current;
    int index;
    int round;
    int triedInRound;
    int serverErrors;
    Throwable failures;

    Attempt(String path, byte[] body, int pinned) {
      this.path = path;
      this.body = body;
      this.pinned = pinned >= 0;
      this.endpoints = this.pinned ? 1 : config.urls().size();
      this.index = this.pinned ? pinned : workingIndex;
    }

    void run() {
      if (result.isDone()) {
        return;
      }
      Request.Builder rb =
          new Request.Builder()
              .url(config.urls().get(index) + path)
              .header("Accept", "application/x-protobuf");
      rb = body == null ? rb.get() : rb.post(RequestBody.create(body, PROTOBUF));
      Call call = client.newCall(rb.build());
      current = call;
      call.enqueue(this);
    }

    // the slot is freed before the future completes, so a caller woken by the completion can
    // issue its next request at once
    void fail(Throwable t) {
      release();
      result.completeExceptionally(t);
    }

    void succeed(Reply r) {
      release();
      result.complete(r);
    }

    void release() {
      synchronized (inFlight) {
        inFlight.remove(this);
      }
    }

    @Override
    public void onFailure(Call call, IOException e) {
      ioFailure(e);
    }

    private void ioFailure(IOException e) {
      if (result.isDone()) {
        return;
      }
      LOG.debug("Chronik {} {} failed: {}", config.urls().get(index), path, e.toString());
      if (failures == null) {
        failures = e;
      } else if (failures.getSuppressed().length < MAX_SUPPRESSED) {
        failures.addSuppressed(e);
      }
      triedInRound++;
      if (!pinned) {
        index = (index + 1) % endpoints;
      }
      if (triedInRound < endpoints) {
        run();
        return;
      }
      round++;
      triedInRound = 0;
      if (round > config.maxRetries()) {
        if (pinned && workingIndex == index) {
          // the pinned server is down: later unpinned requests start at the next one
          workingIndex = (index + 1) % config.urls().size();
        }
        ChronikUnavailableException ex =
            new ChronikUnavailableException(
                "Error connecting to known Chronik instances (" + path + ")", e);
        if (failures != e) {
          ex.addSuppressed(failures);
        }
        fail(ex);
        return;
      }
      schedule(backoff(round));
    }

    private void schedule(Duration delay) {
      try {
        scheduler.schedule(this::run, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        fail(new ChronikUnavailableException("Chronik client closed", e));
      }
    }

    @Override
    public void onResponse(Call call, Response response) {
      int status;
      byte[] bytes;
      try (response) {
        status = response.code();
        bytes = readBounded(response.body());
      } catch (IOException e) {
        ioFailure(e);
        return;
      } catch (ChronikProtocolException e) {
        fail(e);
        return;
      }
      if (status == 200) {
        if (!pinned) {
          workingIndex = index;
        }
        succeed(new Reply(bytes, index));
        return;
      }
      ChronikErrorException error = decodeError(status, bytes);
      if (status >= 500 && serverErrors < config.maxRetries()) {
        serverErrors++;
        LOG.debug(
            "Chronik {} {} answered {}, retry {}",
            config.urls().get(index),
            path,
            status,
            serverErrors);
        schedule(backoff(serverErrors));
        return;
      }
      fail(error);
    }

    private byte[] readBounded(ResponseBody rb) throws IOException {
      if (rb == null) {
        return new byte[0];
      }
      int max = config.maxResponseBytes();
      if (rb.contentLength() > max) {
        throw new ChronikProtocolException(
            "response to "
                + path
                + " announces "
                + rb.contentLength()
                + " bytes, above the limit of "
                + max,
            null);
      }
      BufferedSource src = rb.source();
      Buffer buf = new Buffer();
      long total = 0;
      long n;
      while ((n = src.read(buf, 8192)) != -1) {
        total += n;
        if (total > max) {
          throw new ChronikProtocolException(
              "response to " + path + " exceeds the limit of " + max + " bytes", null);
        }
      }
      return buf.readByteArray();
    }

    private ChronikErrorException decodeError(int status, byte[] bytes) {
      try {
        var e = org.lotusia.chain.chronik.proto.Error.parseFrom(bytes);
        return new ChronikErrorException(
            path, status, e.getErrorCode(), e.getMsg(), e.getIsUserError());
      } catch (InvalidProtocolBufferException ex) {
        return new ChronikErrorException(
            path,
            status,
            "",
            "HTTP " + status + " with a body that is not a Chronik Error message",
            false);
      }
    }
  }
}
