package org.lotusia.libp2p.internal.yamux;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Limits and tuning of a Yamux session. Build with {@link #builder()}; every field has a documented
 * default.
 *
 * @param initialWindow receive window of a new stream; default 256 KiB (the spec's value; larger
 *     values are announced to the remote with the SYN/ACK window update)
 * @param maxWindow largest receive window the auto-tuning may grow a stream to; default 16 MiB
 * @param autoTune grow the receive window when the remote exhausts it within two round trips;
 *     default on
 * @param maxInboundStreams most concurrent streams the remote may open; more are reset; default
 *     1000
 * @param maxOutboundStreams most concurrent streams this side may open; default 1000
 * @param maxFrameLength largest inbound Data frame payload accepted; default 16 MiB
 * @param maxSendFrameSize largest Data frame payload this side sends; default 64 KiB
 * @param ackBacklog most outbound streams waiting for the remote's ACK; further opens wait; default
 *     256
 * @param maxPendingWriteBytes bytes a stream may queue while its send window or the connection is
 *     full; writes beyond fail; default 4 MiB
 * @param keepAliveInterval interval of keep-alive pings, {@link Duration#ZERO} for none; a ping
 *     unanswered until the next one closes the connection; default 30 s
 * @param closeTimeout after a local close, how long to wait for the remote's FIN before resetting
 *     the stream; default 30 s
 * @param maxOutstandingPings most concurrent {@link YamuxHandler#ping()} calls; default 16
 * @param pingTimeout time after which {@link YamuxHandler#ping()} fails with a timeout; default 30
 *     s
 * @param nanoTicker monotonic clock in nanoseconds for round-trip times; default {@link
 *     System#nanoTime()}
 */
public record YamuxConfig(
    int initialWindow,
    int maxWindow,
    boolean autoTune,
    int maxInboundStreams,
    int maxOutboundStreams,
    int maxFrameLength,
    int maxSendFrameSize,
    int ackBacklog,
    int maxPendingWriteBytes,
    Duration keepAliveInterval,
    Duration closeTimeout,
    int maxOutstandingPings,
    Duration pingTimeout,
    LongSupplier nanoTicker) {

  /** The defaults. */
  public static final YamuxConfig DEFAULT = builder().build();

  /**
   * Validates the values.
   *
   * @throws IllegalArgumentException when a value is out of range
   */
  public YamuxConfig {
    Objects.requireNonNull(keepAliveInterval, "keepAliveInterval");
    Objects.requireNonNull(closeTimeout, "closeTimeout");
    Objects.requireNonNull(nanoTicker, "nanoTicker");
    Objects.requireNonNull(pingTimeout, "pingTimeout");
    if (pingTimeout.isNegative() || pingTimeout.isZero()) {
      throw new IllegalArgumentException("pingTimeout must be > 0, got " + pingTimeout);
    }
    require(
        initialWindow >= YamuxFrames.DEFAULT_WINDOW,
        "initialWindow must be >= 262144",
        initialWindow);
    require(maxWindow >= initialWindow, "maxWindow must be >= initialWindow", maxWindow);
    require(maxInboundStreams >= 0, "maxInboundStreams must be >= 0", maxInboundStreams);
    require(maxOutboundStreams >= 0, "maxOutboundStreams must be >= 0", maxOutboundStreams);
    require(maxFrameLength >= 1024, "maxFrameLength must be >= 1024", maxFrameLength);
    require(maxSendFrameSize >= 1024, "maxSendFrameSize must be >= 1024", maxSendFrameSize);
    require(ackBacklog >= 1, "ackBacklog must be >= 1", ackBacklog);
    require(
        maxPendingWriteBytes >= 1024, "maxPendingWriteBytes must be >= 1024", maxPendingWriteBytes);
    require(maxOutstandingPings >= 1, "maxOutstandingPings must be >= 1", maxOutstandingPings);
    if (keepAliveInterval.isNegative() || closeTimeout.isNegative() || closeTimeout.isZero()) {
      throw new IllegalArgumentException("keepAliveInterval must be >= 0 and closeTimeout > 0");
    }
  }

  private static void require(boolean ok, String what, long got) {
    if (!ok) {
      throw new IllegalArgumentException(what + ", got " + got);
    }
  }

  /**
   * Starts a builder with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder of {@link YamuxConfig}; not thread-safe. */
  public static final class Builder {
    private int initialWindow = YamuxFrames.DEFAULT_WINDOW;
    private int maxWindow = 16 * 1024 * 1024;
    private boolean autoTune = true;
    private int maxInboundStreams = 1000;
    private int maxOutboundStreams = 1000;
    private int maxFrameLength = 16 * 1024 * 1024;
    private int maxSendFrameSize = 64 * 1024;
    private int ackBacklog = 256;
    private int maxPendingWriteBytes = 4 * 1024 * 1024;
    private Duration keepAliveInterval = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(30);
    private int maxOutstandingPings = 16;
    private Duration pingTimeout = Duration.ofSeconds(30);
    private LongSupplier nanoTicker = System::nanoTime;

    private Builder() {}

    /**
     * @param v see {@link YamuxConfig#initialWindow()} @return this builder
     */
    public Builder initialWindow(int v) {
      initialWindow = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#maxWindow()} @return this builder
     */
    public Builder maxWindow(int v) {
      maxWindow = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#autoTune()} @return this builder
     */
    public Builder autoTune(boolean v) {
      autoTune = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#maxInboundStreams()} @return this builder
     */
    public Builder maxInboundStreams(int v) {
      maxInboundStreams = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#maxOutboundStreams()} @return this builder
     */
    public Builder maxOutboundStreams(int v) {
      maxOutboundStreams = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#maxFrameLength()} @return this builder
     */
    public Builder maxFrameLength(int v) {
      maxFrameLength = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#maxSendFrameSize()} @return this builder
     */
    public Builder maxSendFrameSize(int v) {
      maxSendFrameSize = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#ackBacklog()} @return this builder
     */
    public Builder ackBacklog(int v) {
      ackBacklog = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#maxPendingWriteBytes()} @return this builder
     */
    public Builder maxPendingWriteBytes(int v) {
      maxPendingWriteBytes = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#keepAliveInterval()} @return this builder
     */
    public Builder keepAliveInterval(Duration v) {
      keepAliveInterval = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#closeTimeout()} @return this builder
     */
    public Builder closeTimeout(Duration v) {
      closeTimeout = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#maxOutstandingPings()} @return this builder
     */
    public Builder maxOutstandingPings(int v) {
      maxOutstandingPings = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#pingTimeout()} @return this builder
     */
    public Builder pingTimeout(Duration v) {
      pingTimeout = v;
      return this;
    }

    /**
     * @param v see {@link YamuxConfig#nanoTicker()} @return this builder
     */
    public Builder nanoTicker(LongSupplier v) {
      nanoTicker = v;
      return this;
    }

    /**
     * Builds and validates the config.
     *
     * @return the config
     * @throws IllegalArgumentException when a value is out of range
     */
    public YamuxConfig build() {
      return new YamuxConfig(
          initialWindow,
          maxWindow,
          autoTune,
          maxInboundStreams,
          maxOutboundStreams,
          maxFrameLength,
          maxSendFrameSize,
          ackBacklog,
          maxPendingWriteBytes,
          keepAliveInterval,
          closeTimeout,
          maxOutstandingPings,
          pingTimeout,
          nanoTicker);
    }
  }
}
