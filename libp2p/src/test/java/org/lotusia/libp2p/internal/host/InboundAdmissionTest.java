package org.lotusia.libp2p.internal.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.ResourceLimits;

/** The admission of inbound sockets: the bounded rate table and the IPv6 /64 key. */
class InboundAdmissionTest {

  private static final Clock FROZEN = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  private static InetSocketAddress at(String ip) throws UnknownHostException {
    return new InetSocketAddress(InetAddress.getByName(ip), 4001);
  }

  /**
   * An attacker cycling through many source addresses cannot grow the rate table: it keeps at most
   * {@code maxTrackedIps} entries, and an address it forgot starts again with a full bucket.
   */
  @Test
  void attackManySourceAddressesKeepTheRateTableBounded() throws Exception {
    ResourceLimits limits =
        ResourceLimits.builder().inboundRatePerIp(1, 0.001).maxTrackedIps(100).build();
    InboundAdmission admission = new InboundAdmission(limits, FROZEN);

    InboundAdmission.Decision first = admission.admit(at("10.0.0.1"));
    assertThat(first.permit()).isNotNull();
    first.permit().release();
    // the bucket of 10.0.0.1 is empty and the clock does not move: refused
    assertThat(admission.admit(at("10.0.0.1")).refusal())
        .isEqualTo(InboundAdmission.Refusal.RATE);

    for (int i = 0; i < 10_000; i++) {
      InboundAdmission.Decision d =
          admission.admit(at("10.1." + (i >> 8 & 0xff) + "." + (i & 0xff)));
      assertThat(d.permit()).isNotNull();
      d.permit().release();
    }
    assertThat(admission.trackedIps()).isEqualTo(100);
    assertThat(admission.pending()).isZero();
    // 10.0.0.1 was forgotten, so it has a full bucket again
    assertThat(admission.admit(at("10.0.0.1")).permit()).isNotNull();
  }

  /** One IPv6 /64 is one source: its addresses share the per-IP pending limit. */
  @Test
  void attackAddressesOfOneIpv6Slash64ShareOneLimit() throws Exception {
    ResourceLimits limits = ResourceLimits.builder().maxPendingInboundPerIp(2).build();
    InboundAdmission admission = new InboundAdmission(limits, FROZEN);

    assertThat(admission.admit(at("2001:db8:1:2::1")).permit()).isNotNull();
    assertThat(admission.admit(at("2001:db8:1:2:ffff::7")).permit()).isNotNull();
    assertThat(admission.admit(at("2001:db8:1:2:abcd:1:2:3")).refusal())
        .isEqualTo(InboundAdmission.Refusal.PENDING_PER_IP);
    // the next /64 is another source
    assertThat(admission.admit(at("2001:db8:1:3::1")).permit()).isNotNull();
    assertThat(admission.pending()).isEqualTo(3);
  }

  /**
   * An attacker with many addresses of one network (an IPv4 /24, an IPv6 /48) gets no more pending
   * slots than the subnet limit; other networks still get theirs, and released slots come back.
   */
  @Test
  void attackManyAddressesOfOneSubnetShareTheSubnetLimit() throws Exception {
    ResourceLimits limits =
        ResourceLimits.builder().maxPendingInboundPerIp(2).maxPendingInboundPerSubnet(5).build();
    InboundAdmission admission = new InboundAdmission(limits, FROZEN);

    InboundAdmission.Decision first = null;
    for (int i = 1; i <= 5; i++) {
      InboundAdmission.Decision d = admission.admit(at("198.51.100." + i));
      assertThat(d.permit()).isNotNull();
      first = first == null ? d : first;
    }
    assertThat(admission.admit(at("198.51.100.77")).refusal())
        .isEqualTo(InboundAdmission.Refusal.PENDING_PER_SUBNET);
    assertThat(admission.admit(at("198.51.101.1")).permit()).isNotNull();
    first.permit().release();
    assertThat(admission.admit(at("198.51.100.77")).permit()).isNotNull();

    for (int i = 0; i < 5; i++) {
      assertThat(admission.admit(at("2001:db8:7:" + i + "::1")).permit()).isNotNull();
    }
    assertThat(admission.admit(at("2001:db8:7:ffff::1")).refusal())
        .isEqualTo(InboundAdmission.Refusal.PENDING_PER_SUBNET);
    assertThat(admission.admit(at("2001:db8:8::1")).permit()).isNotNull();
  }

  /** A permit released twice frees its slot once. */
  @Test
  void releasingAPermitTwiceFreesOneSlot() throws Exception {
    ResourceLimits limits =
        ResourceLimits.builder().maxPendingInbound(2).maxPendingInboundPerIp(2).build();
    InboundAdmission admission = new InboundAdmission(limits, FROZEN);
    InboundAdmission.Decision a = admission.admit(at("192.0.2.1"));
    admission.admit(at("192.0.2.2"));
    a.permit().release();
    a.permit().release();
    assertThat(admission.pending()).isEqualTo(1);
    assertThat(admission.admit(at("192.0.2.3")).permit()).isNotNull();
    assertThat(admission.admit(at("192.0.2.4")).refusal())
        .isEqualTo(InboundAdmission.Refusal.PENDING_TOTAL);
  }
}
