package org.lotusia.libp2p.internal.yamux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class YamuxConfigTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    YamuxConfig c = YamuxConfig.DEFAULT;
    assertThat(c.initialWindow()).isEqualTo(256 * 1024);
    assertThat(c.maxWindow()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.autoTune()).isTrue();
    assertThat(c.maxInboundStreams()).isEqualTo(1000);
    assertThat(c.maxOutboundStreams()).isEqualTo(1000);
    assertThat(c.maxFrameLength()).isEqualTo(16 * 1024 * 1024);
    assertThat(c.maxSendFrameSize()).isEqualTo(64 * 1024);
    assertThat(c.ackBacklog()).isEqualTo(256);
    assertThat(c.maxPendingWriteBytes()).isEqualTo(4 * 1024 * 1024);
    assertThat(c.keepAliveInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.closeTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.pingTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxOutstandingPings()).isEqualTo(16);
  }

  @Test
  void rejectsValuesOutOfRange() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YamuxConfig.builder().initialWindow(1024).build())
        .withMessageContaining("initialWindow");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YamuxConfig.builder().initialWindow(1 << 20).maxWindow(1 << 19).build())
        .withMessageContaining("maxWindow");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YamuxConfig.builder().ackBacklog(0).build());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YamuxConfig.builder().maxInboundStreams(-1).build());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YamuxConfig.builder().closeTimeout(Duration.ZERO).build());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YamuxConfig.builder().keepAliveInterval(Duration.ofSeconds(-1)).build());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> YamuxConfig.builder().pingTimeout(Duration.ZERO).build());
  }
}
