package org.lotusia.swapsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoolParametersTest {

  @Test
  void amountsFollowTheTerms() {
    PoolParameters p = PoolParameters.builder(1_000_000).build();
    assertThat(p.burnAmount()).isEqualTo(1_000);
    assertThat(p.requiredInput()).isEqualTo(1_000_000 + 1_000 + 300);
    assertThat(p.payoutAmount()).isEqualTo(999_800);
    assertThat(p.refundAmount()).isEqualTo(999_700);
    assertThat(PoolParameters.builder(100_000_000).feeRate(2).burnPercentage(0.005).build().burnAmount())
        .isEqualTo(10_000);
  }

  @Test
  void termsOutOfRangeAreRefusedNamingTheTerm() {
    assertThatThrownBy(() -> PoolParameters.builder(-1_000).build()).hasMessageContaining("denomination");
    assertThatThrownBy(() -> PoolParameters.builder(800).build()).hasMessageContaining("below the dust limit");
    assertThatThrownBy(() -> PoolParameters.builder(1_000_000).participants(2, 5).build())
        .hasMessageContaining("minParticipants");
    assertThatThrownBy(() -> PoolParameters.builder(1_000_000).participants(3, 51).build())
        .hasMessageContaining("maxParticipants");
    assertThatThrownBy(() -> PoolParameters.builder(1_000_000).burnPercentage(0.02).build())
        .hasMessageContaining("burnPercentage");
    assertThatThrownBy(() -> PoolParameters.builder(1_000_000).feeRate(0).build()).hasMessageContaining("feeRate");
    assertThatThrownBy(() -> PoolParameters.builder(1_000_000).refundLockBlocks(1).build())
        .hasMessageContaining("refundLockBlocks");
    assertThatThrownBy(() -> PoolParameters.builder(1_000_000).requiredConfirmations(0).build())
        .hasMessageContaining("requiredConfirmations");
    assertThatThrownBy(() -> PoolParameters.builder(1_000_000).setupTimeout(java.time.Duration.ZERO).build())
        .hasMessageContaining("setupTimeout");
  }
}
