package org.lotusia.swapsig.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RingLayoutTest {

  @ParameterizedTest
  @CsvSource({"3,2", "9,2", "10,3", "14,3", "15,5", "25,5", "49,5", "50,10", "100,10"})
  void groupSizesFollowLotusSdkTiers(int n, int g) {
    assertThat(RingLayout.groupSize(n)).isEqualTo(g);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 5, 9, 10, 14, 15, 20, 49, 50})
  void everyoneFundsOneReceivesOneAndNeverFromAGroupItSigns(int n) {
    RingLayout r = new RingLayout(n);
    Set<Integer> receivers = new HashSet<>();
    for (int o = 0; o < n; o++) {
      assertThat(r.funder(o)).isEqualTo(o);
      assertThat(r.group(o)).hasSize(r.groupSize()).contains(r.funder(o));
      int receiver = r.receiver(o);
      assertThat(r.isSigner(receiver, o)).as("receiver %d of output %d signs it", receiver, o).isFalse();
      assertThat(r.payingOutput(receiver)).isEqualTo(o);
      receivers.add(receiver);
    }
    assertThat(receivers).hasSize(n);
    for (int p = 0; p < n; p++) {
      assertThat(r.outputsSignedBy(p)).hasSize(r.groupSize());
      for (int o : r.outputsSignedBy(p)) {
        assertThat(r.group(o)).contains(p);
      }
    }
  }

  @Test
  void threeParticipantsFormLotusSdksPairs() {
    RingLayout r = new RingLayout(3);
    assertThat(r.group(0)).containsExactly(0, 1);
    assertThat(r.group(1)).containsExactly(1, 2);
    assertThat(r.group(2)).containsExactly(2, 0);
    assertThat(r.receiver(0)).isEqualTo(2);
  }

  @Test
  void fewerThanThreeIsRefused() {
    assertThatThrownBy(() -> new RingLayout(2)).hasMessageContaining("at least 3");
  }
}
