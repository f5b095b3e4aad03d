package org.lotusia.libp2p.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.lotusia.libp2p.host.Hosts.join;

import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.Host;
import org.lotusia.libp2p.HostStats;
import org.lotusia.libp2p.ResourceLimits;
import org.lotusia.libp2p.host.Hosts.Stack;
import org.lotusia.libp2p.protocol.ping.Ping;

/**
 * Attacks on the inbound limits of the resource manager over real TCP sockets: one address opens
 * many sockets that never speak, or opens them faster than its rate; another address must still
 * get in, and every refusal is counted.
 */
class ResourceLimitsAttackTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);

  private final Hosts hosts = new Hosts();
  private final RawSockets raw = new RawSockets();

  @AfterEach
  void stop() {
    raw.close();
    hosts.close();
  }

  /**
   * The attack of the report: while 127.0.0.2 holds 1,500 idle TCP sockets to a host with the
   * default limits, a peer from 127.0.0.1 connects and pings.
   */
  @Test
  void fifteenHundredIdleSocketsFromOneAddressDoNotLockOutAnother() throws Exception {
    Host target = hosts.start(Stack.TCP_NOISE);
    raw.open("127.0.0.2", target, 1_500);
    // 16 in their upgrade at most; a few more may get in if the first ones time out meanwhile
    await().atMost(DEADLINE).until(() -> target.stats().refusals().total() >= 1_400);

    Host honest = hosts.start(Stack.TCP_NOISE);
    Duration rtt =
        join(
            join(honest.newStream(target.listenAddresses().get(0), new Ping())).ping());
    assertThat(rtt).isPositive();
    assertThat(target.isConnected(honest.peerId())).isTrue();

    HostStats.Refusals r = target.stats().refusals();
    // what was refused was refused by the per-address limits, never by the total
    assertThat(r.pendingTotal()).isZero();
    assertThat(r.inboundRate() + r.pendingPerIp()).isGreaterThanOrEqualTo(1_400);
  }

  @Test
  void pendingConnectionsPerAddressAreBoundedAndFreedWhenTheirUpgradeTimesOut() throws Exception {
    Host target =
        hosts.start(
            Stack.TCP_NOISE,
            b ->
                b.handshakeTimeout(Duration.ofSeconds(2))
                    .resourceLimits(
                        ResourceLimits.builder()
                            .maxPendingInboundPerIp(3)
                            .inboundRatePerIp(1_000, 1_000)
                            .build()));
    List<Socket> first = raw.open("127.0.0.2", target, 3);
    for (Socket s : first) {
      assertThat(RawSockets.admitted(s)).isTrue();
    }
    Socket fourth = raw.open("127.0.0.2", target);
    assertThat(RawSockets.admitted(fourth)).isFalse();
    assertThat(target.stats().refusals().pendingPerIp()).isEqualTo(1);
    // another address is not affected
    assertThat(RawSockets.admitted(raw.open("127.0.0.3", target))).isTrue();
    // the idle ones time out in their upgrade: their address gets its slots back
    await()
        .atMost(DEADLINE)
        .until(() -> RawSockets.admitted(raw.open("127.0.0.2", target)));
  }

  /**
   * Many addresses of one network (127.0.1.0/24) together get no more than the subnet's pending
   * slots; a peer from another network (127.0.0.1) still connects and pings.
   */
  @Test
  void pendingConnectionsPerSubnetAreBoundedAndAnotherNetworkStillGetsIn() throws Exception {
    Host target =
        hosts.start(
            Stack.TCP_NOISE,
            b ->
                b.resourceLimits(
                    ResourceLimits.builder()
                        .maxPendingInboundPerIp(2)
                        .maxPendingInboundPerSubnet(4)
                        .inboundRatePerIp(1_000, 1_000)
                        .build()));
    for (String ip : List.of("127.0.1.2", "127.0.1.3")) {
      for (Socket s : raw.open(ip, target, 2)) {
        assertThat(RawSockets.admitted(s)).isTrue();
      }
    }
    // a third address of that network holds nothing yet is refused: its network is full
    assertThat(RawSockets.admitted(raw.open("127.0.1.4", target))).isFalse();
    assertThat(target.stats().refusals().pendingPerSubnet()).isEqualTo(1);
    assertThat(target.stats().refusals().pendingPerIp()).isZero();

    Host honest = hosts.start(Stack.TCP_NOISE);
    Duration rtt =
        join(join(honest.newStream(target.listenAddresses().get(0), new Ping())).ping());
    assertThat(rtt).isPositive();
  }

  @Test
  void pendingConnectionsInTotalAreBoundedAndFreedWhenTheSocketCloses() throws Exception {
    Host target =
        hosts.start(
            Stack.TCP_NOISE,
            b ->
                b.resourceLimits(
                    ResourceLimits.builder()
                        .maxPendingInbound(4)
                        .maxPendingInboundPerIp(2)
                        .inboundRatePerIp(1_000, 1_000)
                        .build()));
    List<Socket> a = raw.open("127.0.0.2", target, 2);
    List<Socket> b = raw.open("127.0.0.3", target, 2);
    for (Socket s : List.of(a.get(0), a.get(1), b.get(0), b.get(1))) {
      assertThat(RawSockets.admitted(s)).isTrue();
    }
    assertThat(RawSockets.admitted(raw.open("127.0.0.4", target))).isFalse();
    assertThat(target.stats().refusals().pendingTotal()).isEqualTo(1);
    a.get(0).close();
    await()
        .atMost(DEADLINE)
        .until(() -> RawSockets.admitted(raw.open("127.0.0.4", target)));
  }

  @Test
  void inboundRatePerAddressIsATokenBucketOnTheHostClock() throws Exception {
    StepClock clock = new StepClock(Instant.parse("2026-01-01T00:00:00Z"));
    Host target =
        hosts.start(
            Stack.TCP_NOISE,
            b ->
                b.clock(clock)
                    .resourceLimits(
                        ResourceLimits.builder()
                            .maxPendingInboundPerIp(64)
                            .inboundRatePerIp(5, 1.0)
                            .build()));
    List<Socket> burst = raw.open("127.0.0.2", target, 5);
    for (Socket s : burst) {
      assertThat(RawSockets.admitted(s)).isTrue();
    }
    for (Socket s : raw.open("127.0.0.2", target, 10)) {
      assertThat(RawSockets.admitted(s)).isFalse();
    }
    assertThat(target.stats().refusals().inboundRate()).isEqualTo(10);
    // another address has its own bucket: an honest peer connects and pings
    Host honest = hosts.start(Stack.TCP_NOISE);
    join(join(honest.newStream(target.listenAddresses().get(0), new Ping())).ping());

    // two seconds later the bucket holds two tokens again
    clock.step(Duration.ofSeconds(2));
    assertThat(RawSockets.admitted(raw.open("127.0.0.2", target))).isTrue();
    assertThat(RawSockets.admitted(raw.open("127.0.0.2", target))).isTrue();
    assertThat(RawSockets.admitted(raw.open("127.0.0.2", target))).isFalse();
    assertThat(target.stats().refusals().inboundRate()).isEqualTo(11);
  }

  /** A clock that moves only when the test steps it. Thread-safe. */
  static final class StepClock extends Clock {
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
}
