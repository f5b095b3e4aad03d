package org.lotusia.chain.chronik;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link ChronikClient}. Build with {@link #builder()}; every setting has a
 * documented default. Immutable and thread-safe.
 *
 * @param urls base URLs tried in round-robin order from the last one that worked; each starts with
 *     {@code http://} or {@code https://} and has no trailing slash
 * @param connectTimeout TCP/TLS connect timeout per attempt
 * @param readTimeout socket read timeout per attempt (time between bytes)
 * @param callTimeout deadline of one attempt from start to the last body byte
 * @param maxRetries retries after the first round: one round tries every URL once on I/O errors, or
 *     one URL once on a 5xx reply
 * @param initialBackoff delay before the first retry; doubled per retry
 * @param maxBackoff upper bound of the retry delay
 * @param maxResponseBytes largest accepted HTTP response body
 * @param maxWsMessageBytes largest accepted WebSocket message
 * @param maxWsSubscriptions most scripts one WebSocket may be subscribed to
 * @param maxPendingRequests most requests in flight (including those waiting for a retry); more
 *     fail at once with {@link java.util.concurrent.RejectedExecutionException}
 */
public record ChronikClientConfig(
    List<String> urls,
    Duration connectTimeout,
    Duration readTimeout,
    Duration callTimeout,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff,
    int maxResponseBytes,
    int maxWsMessageBytes,
    int maxWsSubscriptions,
    int maxPendingRequests) {

  /** The default base URL, Lotus mainnet's public Chronik. */
  public static final String DEFAULT_URL = "https://chronik.lotusia.org";

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException on an empty URL list, a malformed URL or a non-positive limit
   */
  public ChronikClientConfig {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("at least one Chronik URL is required");
    }
    for (String url : urls) {
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException(
            "Chronik URL must start with http:// or https://, got: " + url);
      }
      if (url.endsWith("/")) {
        throw new IllegalArgumentException("Chronik URL must not end with '/', got: " + url);
      }
    }
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("readTimeout", readTimeout);
    requirePositive("callTimeout", callTimeout);
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("maxBackoff", maxBackoff);
    if (maxRetries < 0 || maxRetries > 100) {
      throw new IllegalArgumentException("maxRetries must be in 0..100, got " + maxRetries);
    }
    if (maxResponseBytes <= 0
        || maxWsMessageBytes <= 0
        || maxWsSubscriptions <= 0
        || maxPendingRequests <= 0) {
      throw new IllegalArgumentException("size limits must be positive");
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
    }
  }

  /** Returns a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the WebSocket URL of base URL {@code i}: {@code wss://host/ws} or {@code ws://host/ws}.
   */
  String wsUrl(int i) {
    String url = urls.get(i);
    return url.startsWith("https://")
        ? "wss://" + url.substring("https://".length()) + "/ws"
        : "ws://" + url.substring("http://".length()) + "/ws";
  }

  /** Builder of {@link ChronikClientConfig}; not thread-safe. */
  public static final class Builder {
    private final List<String> urls = new ArrayList<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofSeconds(20);
    private Duration callTimeout = Duration.ofSeconds(30);
    private int maxRetries = 2;
    private Duration initialBackoff = Duration.ofMillis(250);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private int maxResponseBytes = 16 * 1024 * 1024;
    private int maxWsMessageBytes = 1024 * 1024;
    private int maxWsSubscriptions = 1000;
    private int maxPendingRequests = 1000;

    private Builder() {}

    /** Adds a base URL; default is only {@value #DEFAULT_URL} when none is added. */
    public Builder url(String url) {
      urls.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** Adds several base URLs, tried in this order. */
    public Builder urls(List<String> list) {
      list.forEach(this::url);
      return this;
    }

    /** Connect timeout per attempt; default 10 s. */
    public Builder connectTimeout(Duration d) {
      connectTimeout = d;
      return this;
    }

    /** Read timeout per attempt; default 20 s. */
    public Builder readTimeout(Duration d) {
      readTimeout = d;
      return this;
    }

    /** Whole-attempt deadline; default 30 s. */
    public Builder callTimeout(Duration d) {
      callTimeout = d;
      return this;
    }

    /** Retries after the first round; default 2. */
    public Builder maxRetries(int n) {
      maxRetries = n;
      return this;
    }

    /** First retry delay; default 250 ms. */
    public Builder initialBackoff(Duration d) {
      initialBackoff = d;
      return this;
    }

    /** Largest retry delay; default 5 s. */
    public Builder maxBackoff(Duration d) {
      maxBackoff = d;
      return this;
    }

    /** Largest accepted HTTP body; default 16 MiB. */
    public Builder maxResponseBytes(int n) {
      maxResponseBytes = n;
      return this;
    }

    /** Largest accepted WebSocket message; default 1 MiB. */
    public Builder maxWsMessageBytes(int n) {
      maxWsMessageBytes = n;
      return this;
    }

    /** Most scripts per WebSocket; default 1000. */
    public Builder maxWsSubscriptions(int n) {
      maxWsSubscriptions = n;
      return this;
    }

    /** Most requests in flight per client; default 1000. */
    public Builder maxPendingRequests(int n) {
      maxPendingRequests = n;
      return this;
    }

    /** Builds the validated configuration. */
    public ChronikClientConfig build() {
      return new ChronikClientConfig(
          urls.isEmpty() ? List.of(DEFAULT_URL) : urls,
          connectTimeout,
          readTimeout,
          callTimeout,
          maxRetries,
          initialBackoff,
          maxBackoff,
          maxResponseBytes,
          maxWsMessageBytes,
          maxWsSubscriptions,
          maxPendingRequests);
    }
  }
}
