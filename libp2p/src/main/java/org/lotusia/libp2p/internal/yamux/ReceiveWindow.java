package org.lotusia.libp2p.internal.yamux;

/**
 * Receive-side flow control of one stream, free of I/O: how much the remote may still send, how
 * much was consumed since the last WindowUpdate, and the auto-tuned window limit.
 *
 * <p>Credit is returned once half the current limit was consumed. If that half drained within two
 * round trips since the previous update, the sender is limited by the window rather than by the
 * reader, so the limit doubles (up to the maximum), as go-yamux and rust-yamux do. Not thread-safe;
 * the owning stream uses it on its event loop.
 */
final class ReceiveWindow {

  private final int maxWindow;
  private final boolean autoTune;
  private long available;
  private int limit;
  private long consumed;
  private long epochStart;

  /**
   * Creates the window.
   *
   * @param initial the initial limit (what the remote may send at first)
   * @param maxWindow the largest limit auto-tuning may reach
   * @param autoTune whether the limit may grow
   * @param now the current time in nanoseconds
   */
  ReceiveWindow(int initial, int maxWindow, boolean autoTune, long now) {
    this.available = initial;
    this.limit = initial;
    this.maxWindow = maxWindow;
    this.autoTune = autoTune;
    this.epochStart = now;
  }

  /** Returns the bytes the remote may still send. */
  long available() {
    return available;
  }

  /** Returns the current limit. */
  int limit() {
    return limit;
  }

  /**
   * Records {@code n} bytes received from the remote (already checked against {@link
   * #available()}).
   */
  void onReceived(int n) {
    available -= n;
  }

  /**
   * Records {@code n} bytes delivered to the reader and decides whether to send credit.
   *
   * @param n bytes consumed
   * @param now current time in nanoseconds
   * @param rttNanos the last measured round trip, or a negative value when none is known yet
   * @return the WindowUpdate delta to send now, or 0 for none
   */
  long onConsumed(int n, long now, long rttNanos) {
    consumed += n;
    if (consumed < limit / 2) {
      return 0;
    }
    int grow = 0;
    if (autoTune && rttNanos >= 0 && now - epochStart <= 2 * rttNanos && limit < maxWindow) {
      int next = (int) Math.min((long) limit * 2, maxWindow);
      grow = next - limit;
      limit = next;
    }
    long delta = consumed + grow;
    consumed = 0;
    epochStart = now;
    available += delta;
    return delta;
  }
}
