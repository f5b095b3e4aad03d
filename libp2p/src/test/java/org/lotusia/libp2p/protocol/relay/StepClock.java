package org.lotusia.libp2p.protocol.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test steps it. Thread-safe. */
final class StepClock extends Clock {
  private volatile Instant now;

  StepClock(Instant start) {
    this.now = start;
  }

  void step(Duration d) {
    now = now.plus(d);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return now;
  }
}
