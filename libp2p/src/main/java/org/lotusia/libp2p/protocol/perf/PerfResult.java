package org.lotusia.libp2p.protocol.perf;

import java.time.Duration;

/**
 * The outcome of one perf run.
 *
 * @param uploaded bytes sent to the server
 * @param downloaded bytes received from the server
 * @param uploadTime from the first byte sent until the upload was accepted and closed
 * @param totalTime from start until the download ended
 */
public record PerfResult(long uploaded, long downloaded, Duration uploadTime, Duration totalTime) {

  /** Upload throughput in bits per second over {@link #uploadTime()}. */
  public double uploadBitsPerSecond() {
    return rate(uploaded, uploadTime);
  }

  /** Download throughput in bits per second over the time after the upload. */
  public double downloadBitsPerSecond() {
    return rate(downloaded, totalTime.minus(uploadTime));
  }

  private static double rate(long bytes, Duration time) {
    double seconds = Math.max(time.toNanos(), 1) / 1e9;
    return bytes * 8 / seconds;
  }
}
