package org.lotusia.libp2p.protocol.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.lotusia.libp2p.PeerId;
import org.lotusia.libp2p.crypto.Keys;

/** The relay's reservation book, driven with a stepped clock. */
class ReservationTableTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.700Z");

  private static PeerId peer() {
    return PeerId.fromPublicKey(Keys.generateEd25519().publicKey());
  }

  private static ReservationTable table(int max, int perIp) {
    return new ReservationTable(
        RelayServiceConfig.builder()
            .maxReservations(max)
            .maxReservationsPerIp(perIp)
            .reservationTtl(Duration.ofHours(2))
            .maxCircuits(3)
            .maxCircuitsPerPeer(2)
            .build());
  }

  @Test
  void reservationExpiresAfterItsTtlAndRenewalMovesIt() {
    ReservationTable t = table(10, 10);
    PeerId p = peer();
    ReservationTable.Result r = t.reserve(p, "10.0.0.1", T0);
    assertThat(r.status()).isEqualTo(RelayStatus.OK);
    // whole seconds, as on the wire
    assertThat(r.expiration()).isEqualTo(Instant.parse("2026-01-01T02:00:00Z"));
    assertThat(t.get(p, T0.plus(Duration.ofMinutes(119)))).isPresent();
    ReservationTable.Result renewed = t.reserve(p, "10.0.0.1", T0.plus(Duration.ofMinutes(90)));
    assertThat(renewed.expiration()).isEqualTo(Instant.parse("2026-01-01T03:30:00Z"));
    assertThat(t.get(p, T0.plus(Duration.ofMinutes(150)))).isPresent();
    assertThat(t.get(p, Instant.parse("2026-01-01T03:30:00Z"))).isEmpty();
    assertThat(t.size(Instant.parse("2026-01-01T03:30:00Z"))).isZero();
  }

  @Test
  void totalLimitRefusesNewPeersButStillRenews() {
    ReservationTable t = table(3, 10);
    PeerId[] ps = {peer(), peer(), peer()};
    for (int i = 0; i < 3; i++) {
      assertThat(t.reserve(ps[i], "10.0.0." + i, T0).status()).isEqualTo(RelayStatus.OK);
    }
    assertThat(t.reserve(peer(), "10.0.0.9", T0).status())
        .isEqualTo(RelayStatus.RESERVATION_REFUSED);
    // a renewal keeps its slot even when the table is full
    assertThat(t.reserve(ps[0], "10.0.0.0", T0.plusSeconds(60)).status())
        .isEqualTo(RelayStatus.OK);
    // an expired reservation frees its slot
    assertThat(t.reserve(peer(), "10.0.0.9", T0.plus(Duration.ofHours(2)).plusSeconds(1)).status())
        .isEqualTo(RelayStatus.OK);
  }

  @Test
  void perIpLimitRefusesAFloodFromOneAddress() {
    ReservationTable t = table(100, 2);
    assertThat(t.reserve(peer(), "192.0.2.1", T0).status()).isEqualTo(RelayStatus.OK);
    assertThat(t.reserve(peer(), "192.0.2.1", T0).status()).isEqualTo(RelayStatus.OK);
    assertThat(t.reserve(peer(), "192.0.2.1", T0).status())
        .isEqualTo(RelayStatus.RESERVATION_REFUSED);
    assertThat(t.reserve(peer(), "192.0.2.2", T0).status()).isEqualTo(RelayStatus.OK);
  }

  @Test
  void removingAReservationFreesItsIpShare() {
    ReservationTable t = table(100, 1);
    PeerId p = peer();
    t.reserve(p, "192.0.2.1", T0);
    assertThat(t.remove(p)).isTrue();
    assertThat(t.remove(p)).isFalse();
    assertThat(t.reserve(peer(), "192.0.2.1", T0).status()).isEqualTo(RelayStatus.OK);
  }

  @Test
  void aRenewalFromOneAddressDoesNotCountTwice() {
    ReservationTable t = table(100, 1);
    PeerId p = peer();
    for (int i = 0; i < 50; i++) {
      assertThat(t.reserve(p, "192.0.2.1", T0.plusSeconds(i)).status()).isEqualTo(RelayStatus.OK);
    }
    assertThat(t.size(T0.plusSeconds(50))).isEqualTo(1);
  }

  @Test
  void circuitsAreBoundedInAllAndPerPeer() {
    ReservationTable t = table(10, 10);
    PeerId a = peer();
    PeerId b = peer();
    PeerId c = peer();
    PeerId d = peer();
    assertThat(t.openCircuit(a, b)).isTrue();
    assertThat(t.openCircuit(a, c)).isTrue();
    assertThat(t.openCircuit(a, d)).as("a's share of 2 is used").isFalse();
    assertThat(t.openCircuit(c, d)).isTrue();
    assertThat(t.openCircuit(b, d)).as("3 circuits in all").isFalse();
    t.closeCircuit(a, b);
    assertThat(t.circuits()).isEqualTo(2);
    assertThat(t.openCircuit(b, d)).isTrue();
  }

  @Test
  void configRejectsOutOfRangeValues() {
    assertThatThrownBy(() -> RelayServiceConfig.builder().maxReservations(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxReservations");
    assertThatThrownBy(() -> RelayServiceConfig.builder().reservationTtl(Duration.ZERO).build())
        .hasMessageContaining("reservationTtl");
    assertThatThrownBy(() -> RelayServiceConfig.builder().maxMessageSize(10).build())
        .hasMessageContaining("maxMessageSize");
  }
}
